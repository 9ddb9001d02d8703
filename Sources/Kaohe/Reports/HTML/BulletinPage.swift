import Foundation

/// The ranking bulletin (考核结果通报) as one self-contained HTML page: the policy and its source, who is in
/// each band, the ranking, a chart of totals with the band cut-offs, how units fared under each rule, and
/// every unit's notice, each starting a new printed page.
struct BulletinPage {
    var sheet: Scoresheet
    var labels: Labels
    var words: HTMLLabels

    init(_ sheet: Scoresheet, language: Language) {
        self.sheet = sheet
        labels = Labels.forLanguage(language)
        words = HTMLLabels.forLanguage(language)
    }

    func render() -> String {
        let p = sheet.policy
        return HTMLWriter.document(title: "\(p.title) \(p.year) · \(words.bulletin)", lang: words.htmlLang) { w in
            w.element("header", [("class", "doc")]) { w in
                w.element("h1", text: "\(p.title) \(p.year)")
                w.element("p", [("class", "kicker")], text: "\(words.bulletin) · \(sheet.unitCount) \(labels.units)")
                w.policyFacts(p, dataSHA256: sheet.data.sha256, labels, words)
            }
            w.newline()
            w.element("nav", [("class", "contents")]) { w in
                w.element("strong", text: words.contents + "：")
                for (anchor, title) in [("ranking", words.rankingSection), ("totals", words.chartSection),
                                        ("rules", words.rulesSection), ("notices", words.noticesSection)] {
                    w.element("a", [("href", "#" + anchor)], text: title)
                }
            }
            w.newline()
            rankingSection(&w)
            chartSection(&w)
            rulesSection(&w)
            // on paper every notice is headed by its own title, on its own page
            w.element("h2", [("id", "notices"), ("class", "screen-only")], text: words.noticesSection)
            w.newline()
            for u in sheet.order {
                NoticeSection(sheet: sheet, unit: u, labels: labels, words: words, explanation: nil).draw(&w)
            }
            w.element("p", [("class", "doc-footer")], text: words.generated)
        }
    }

    func bandKind(_ u: Int) -> BandKind? {
        BandKind.strongest(sheet.ranking.bands[u].compactMap { id in sheet.policy.bands.first { $0.id == id }.map(BandKind.init) })
    }

    private func rankingSection(_ w: inout HTMLWriter) {
        let p = sheet.policy
        w.element("h2", [("id", "ranking")], text: words.rankingSection)
        w.element("ul", [("class", "bands-summary")]) { w in
            for band in p.bands {
                let members = sheet.order.filter { sheet.ranking.bands[$0].contains(band.id) }
                w.element("li", [("data-band", band.id)]) { w in
                    w.bandChip(band, text: ScoreReport.bandLabel(p, band.id, labels))
                    w.text("\(members.count) \(labels.units)")
                    let meaning = labels.meaning(band.meaning)
                    if !meaning.isEmpty { w.text(meaning) }
                    if !members.isEmpty { w.text("：") }
                    for (i, u) in members.enumerated() {
                        if i > 0 { w.text(labels.listSeparator) }
                        w.unitLink(sheet.data.unitIDs[u], sheet.data.names[u])
                    }
                }
            }
        }
        w.newline()
        // what the data leaves unsaid: units that submitted no self-check form, files kaohe cannot read
        let warnings = DataWarning.lines(sheet, labels)
        if !warnings.isEmpty {
            w.element("ul", [("class", "data-warnings")]) { w in
                for line in warnings { w.element("li", text: line) }
            }
            w.newline()
        }
        let selfCheck = p.selfcheck != nil
        w.element("table", [("class", "ranking")]) { w in
            w.element("thead") { w in
                w.element("tr") { w in
                    w.element("th", [("class", "num")], text: labels.rank)
                    w.element("th", text: labels.unit)
                    w.element("th", text: labels.name)
                    w.element("th", [("class", "num")], text: labels.total)
                    if selfCheck {
                        w.element("th", [("class", "num")], text: labels.selfScore)
                        w.element("th", [("class", "num")], text: labels.difference)
                    }
                    w.element("th", text: labels.bands)
                }
            }
            w.element("tbody") { w in
                for u in sheet.order {
                    var attributes: HTMLWriter.Attributes = [("data-unit", sheet.data.unitIDs[u])]
                    if let kind = bandKind(u) { attributes.append(("class", kind.cssClass)) }
                    w.element("tr", attributes) { w in
                        w.element("td", [("class", "num")], text: String(sheet.ranking.rank[u]))
                        w.element("td", text: sheet.data.unitIDs[u])
                        w.element("td") { $0.unitLink(sheet.data.unitIDs[u], sheet.data.names[u]) }
                        w.element("td", [("class", "num")], text: sheet.totals[u].description)
                        if selfCheck {
                            let check = SelfCheck(sheet, unit: u)
                            let claimed = check?.selfTotal
                            let none = check?.submitted == false ? SelfCheck.Problem.notSubmitted.label(labels) : "—"
                            w.element("td", [("class", "num")], text: claimed?.description ?? none)
                            w.element("td", [("class", "num")], text: claimed.map { ($0 - sheet.totals[u]).signed } ?? "—")
                        }
                        w.element("td") { w in
                            for id in sheet.ranking.bands[u] {
                                if let band = p.bands.first(where: { $0.id == id }) { w.bandChip(band, text: ScoreReport.bandLabel(p, id, labels)) }
                            }
                        }
                    }
                    w.newline()
                }
            }
        }
        w.newline()
    }

    private func chartSection(_ w: inout HTMLWriter) {
        let p = sheet.policy
        let order = sheet.order
        let rows = order.map { u in
            TotalsChart.Row(id: sheet.data.unitIDs[u], name: sheet.data.names[u], rank: sheet.ranking.rank[u],
                            total: sheet.totals[u], kind: bandKind(u))
        }
        var cutoffs: [TotalsChart.Cutoff] = []
        var scores: [(value: Points, label: String)] = []
        for band in p.bands where band.from == .top || band.from == .bottom {
            let members = order.indices.filter { sheet.ranking.bands[order[$0]].contains(band.id) }
            guard let first = members.first, let last = members.last else { continue }
            let name = ScoreReport.bandLabel(p, band.id, labels)
            if band.from == .top {
                let score = sheet.totals[order[last]]
                cutoffs.append(.init(after: last, label: "\(name) \(words.cutoff) ≥ \(score)"))
                scores.append((score, "\(name) ≥ \(score)"))
            } else if first > 0 {
                let score = sheet.totals[order[first]]
                cutoffs.append(.init(after: first - 1, label: "\(name) \(words.cutoff) ≤ \(score)"))
                scores.append((score, "\(name) ≤ \(score)"))
            }
        }
        w.element("h2", [("id", "totals")], text: words.chartSection)
        let title = "\(p.title) \(p.year) · \(labels.total)"
        if rows.count > SVGChart.maxRows {
            // too many for a bar each: the distribution first, then the top and bottom of the ranking
            DistributionChart(totals: sheet.totals, cutoffs: scores, base: p.base, baseLabel: words.baseLine,
                              title: title + " · " + words.distribution).draw(&w)
        }
        let chart = TotalsChart(rows: rows, cutoffs: cutoffs, base: p.base, baseLabel: words.baseLine, title: title,
                                gapLabel: { n in "… \(n) \(self.labels.units) …" })
        chart.draw(&w)
    }

    /// Per rule across units: mean, lowest, highest, how many lost and gained points.
    struct RuleStats {
        var rule: String, citation: String, title: String
        var sum = Points.zero, lowest: Points?, highest: Points?
        var below = 0, above = 0
    }

    static func ruleStats(_ sheet: Scoresheet) -> [RuleStats] {
        var stats: [RuleStats] = []
        var index: [String: Int] = [:]
        for u in 0..<sheet.unitCount {
            for item in sheet.items(of: u) {
                let i: Int
                if let k = index[item.rule] {
                    i = k
                } else {
                    i = stats.count
                    index[item.rule] = i
                    stats.append(RuleStats(rule: item.rule, citation: item.citation, title: item.title))
                }
                stats[i].sum += item.points
                stats[i].lowest = Swift.min(stats[i].lowest ?? item.points, item.points)
                stats[i].highest = Swift.max(stats[i].highest ?? item.points, item.points)
                if item.points < .zero { stats[i].below += 1 }
                if item.points > .zero { stats[i].above += 1 }
            }
        }
        return stats
    }

    private func rulesSection(_ w: inout HTMLWriter) {
        let stats = Self.ruleStats(sheet)
        let n = Double(Swift.max(sheet.unitCount, 1))
        let extent = stats.map { Swift.max(abs($0.lowest?.doubleValue ?? 0), abs($0.highest?.doubleValue ?? 0)) }.max() ?? 1
        w.element("h2", [("id", "rules")], text: words.rulesSection)
        w.element("table", [("class", "rule-stats")]) { w in
            w.element("thead") { w in
                w.element("tr") { w in
                    w.element("th", text: labels.citation)
                    w.element("th", text: labels.rule)
                    for h in [words.mean, words.lowest, words.highest, words.below, words.above] {
                        w.element("th", [("class", "num")], text: h)
                    }
                    w.element("th", text: words.distribution)
                }
            }
            w.element("tbody") { w in
                for s in stats {
                    let mean = s.sum.doubleValue / n
                    w.element("tr", [("data-rule", s.rule)]) { w in
                        w.element("td", [("class", "cite")], text: s.citation)
                        w.element("td", [("class", "title")], text: s.title)
                        w.element("td", [("class", "num" + (mean < 0 ? " minus" : mean > 0 ? " plus" : ""))],
                                  text: String(format: "%.2f", mean))
                        w.element("td", [("class", "num")], text: s.lowest?.description ?? "—")
                        w.element("td", [("class", "num")], text: s.highest?.description ?? "—")
                        w.element("td", [("class", "num")], text: String(s.below))
                        w.element("td", [("class", "num")], text: String(s.above))
                        w.element("td") { w in
                            RangeBar(mean: mean, lowest: s.lowest?.doubleValue ?? 0, highest: s.highest?.doubleValue ?? 0,
                                     extent: extent).draw(&w)
                        }
                    }
                    w.newline()
                }
            }
        }
    }
}
