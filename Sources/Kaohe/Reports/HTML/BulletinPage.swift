import Dispatch
import Foundation

/// The ranking bulletin (考核结果通报) as one self-contained HTML page: the policy and its source, who is in
/// each band, the ranking, a chart of totals with the band cut-offs, how units fared under each rule, and
/// every unit's notice, each starting a new printed page. A policy with `groups` gets the ranking, the band
/// summary and the chart once per group (BulletinPage+Ranking, BulletinPage+Chart).
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
        return HTMLWriter.document(title: "\(p.title) \(p.year) · \(words.bulletin)", lang: words.htmlLang,
                                   extraStyle: Self.awardStyle(sheet)) { w in
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
            // the notices are written in chunks on every core, then joined in order (the same text whatever
            // the number of cores)
            let peers = NoticeSection.Peers(sheet)
            let order = sheet.order, size = 512
            let chunks = (order.count + size - 1) / size
            let parts = ResultSlots<HTMLWriter>(count: chunks)
            let (noticeLabels, noticeWords) = (labels, words)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                var part = HTMLWriter()
                for u in order[(c * size)..<Swift.min(order.count, (c + 1) * size)] {
                    NoticeSection(sheet: sheet, unit: u, labels: noticeLabels, words: noticeWords, explanation: nil, peers: peers).draw(&part)
                }
                parts[c] = part
            }
            for c in 0..<chunks { w.append(parts[c]!) }
            w.element("p", [("class", "doc-footer")], text: words.generated)
        }
    }

    func bandKind(_ u: Int) -> BandKind? {
        BandKind.strongest(sheet.ranking.bands[u].compactMap { id in sheet.policy.bands.first { $0.id == id }.map(BandKind.init) })
    }

    /// The stylesheet's award rules (groups, vetoes, score lines, remarks), for the pages that use them only:
    /// a page of a policy without them stays as it was.
    static func awardStyle(_ sheet: Scoresheet) -> String {
        let p = sheet.policy
        let uses = p.groups != nil || !p.vetoes.isEmpty || p.total != nil || !sheet.notices.isEmpty
            || p.bands.contains { $0.count != nil || $0.minTotal != nil || $0.maxTotal != nil }
        return uses ? HTMLStyle.awards : ""
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
