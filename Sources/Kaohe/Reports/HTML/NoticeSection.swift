/// One unit's results notice (考核结果告知书): total (as the document rounds it), group and rank within it,
/// bands, one-vote vetoes and how tie-break keys placed it among equal totals, then every rule with its article, points,
/// the most it could have scored, the rule's note and any cap applied; for self-check policies the unit's
/// own score against the verified one; and where the unit lost most. With an `Explanation` (`kaohe explain`)
/// each rule also lists the params and the data rows it read.
struct NoticeSection {
    var sheet: Scoresheet
    var unit: Int
    var labels: Labels
    var words: HTMLLabels
    var explanation: Explanation?
    /// What the bulletin knows of every unit at once (group sizes, units by group and total), so that its
    /// thousands of notices do not each search the whole ranking; nil: found for this unit alone.
    var peers: Peers? = nil

    /// The units of each group (`groupSizes[g]`), and the units of a group with a total, in rank order.
    struct Peers {
        var groupSizes: [Int]
        var sameTotal: [String: [Int]]

        init(_ sheet: Scoresheet, units: [Int]? = nil) {
            groupSizes = Scoresheet.groupSizes(data: sheet.data, groups: sheet.policy.groups)
            sameTotal = [:]
            // only tie-break keys make a tie worth a line
            guard !sheet.policy.tieBreak.isEmpty else { return }
            for u in units ?? sheet.order { sameTotal[Self.key(sheet, u), default: []].append(u) }
        }

        static func key(_ sheet: Scoresheet, _ u: Int) -> String {
            "\(sheet.policy.groups == nil ? 0 : sheet.data.groupIndex[u]) \(sheet.totals[u].micro)"
        }
    }

    /// How many data rows a rule lists before summarising (as `kaohe explain`).
    static let rowLimit = ExplainReport.rowLimit

    /// Points the unit did not get under each rule, largest first: the rule's maximum minus its points when the
    /// policy knows the maximum, else what a penalty took.
    static func losses(_ sheet: Scoresheet, _ items: [Scoresheet.LineItem]) -> [(item: Scoresheet.LineItem, lost: Points)] {
        var out: [(item: Scoresheet.LineItem, lost: Points)] = []
        for item in items {
            guard let r = item.ruleIndex else { continue }
            let lost: Points
            if let max = sheet.policy.pointRange(of: sheet.policy.rules[r]).max {
                lost = Points(max) - item.points
            } else {
                lost = item.points < .zero ? -item.points : .zero
            }
            if lost > .zero { out.append((item, lost)) }
        }
        // stable: equal losses keep the policy's order
        return out.enumerated().sorted { a, b in
            a.element.lost != b.element.lost ? a.element.lost > b.element.lost : a.offset < b.offset
        }.map(\.element)
    }

    func draw(_ w: inout HTMLWriter) {
        let p = sheet.policy, data = sheet.data
        let peers = self.peers ?? Peers(sheet, units: p.tieBreak.isEmpty ? [] : sheet.order.filter { sheet.totals[$0] == sheet.totals[unit] })
        let id = data.unitIDs[unit], name = data.names[unit]
        let items = sheet.items(of: unit)
        let check = SelfCheck(sheet, unit: unit)
        let maxima = items.map { item in item.ruleIndex.flatMap { p.pointRange(of: p.rules[$0]).max } }
        let showMax = maxima.contains { $0 != nil }
        w.start("section", [("class", explanation == nil ? "notice" : "notice explained"), ("id", HTMLWriter.anchor(unit: id)), ("data-unit", id)])
        w.newline()
        w.element("header") { w in
            w.element("p", [("class", "kicker")], text: "\(p.title) \(p.year)")
            w.element("h2", text: words.notice)
            w.element("p", [("class", "to")], text: "\(name)（\(id)）")
        }
        let total = sheet.totals[unit], exact = sheet.exactTotals[unit]
        w.element("p", [("class", "summary")]) { w in
            w.element("span", [("class", "figure")], text: sheet.totalText(total))
            w.text("\(labels.total) = \(labels.base) \(p.base) \(labels.adjustments) \((exact - p.base).signed)")
            if let rounding = p.total, exact != total {
                w.text(Labels.fill(words.roundedFrom, ["exact": exact.description, "decimals": String(rounding.decimals)]))
            }
            // the rank is within the unit's group, out of the group's units
            if let group = sheet.groupLabel(of: unit) { w.text(" · \(labels.group) \(group)") }
            w.text(" · \(labels.rank) \(sheet.ranking.rank[unit]) \(labels.of) \(groupSize(peers))")
            if let claimed = check?.selfTotal {
                w.text(" · \(words.claimedTotal) \(claimed) · \(labels.difference) \((claimed - total).signed)")
            }
        }
        for bandID in sheet.ranking.bands[unit] {
            guard let band = p.bands.first(where: { $0.id == bandID }) else { continue }
            w.element("p", [("class", "band-line")]) { w in
                w.bandChip(band, text: ScoreReport.bandLabel(p, bandID, labels))
                let meaning = words.noticeMeaning(band.meaning)
                if !meaning.isEmpty { w.text(meaning) }
            }
        }
        for hit in sheet.vetoes(of: unit) {
            w.element("p", [("class", "veto-line")]) { w in
                w.element("strong", text: labels.vetoes)
                w.text(labels.colon + ScoreReport.vetoReasons([hit], labels) + labels.clauseSeparator + labels.vetoed)
            }
        }
        for line in tieLines(peers) { w.element("p", [("class", "tie-line")], text: line) }
        for o in sheet.ranking.overfull where o.units.contains(unit) {
            w.element("p", [("class", "tie-line")], text: ScoreReport.overfullText(sheet, o, labels))
        }
        w.newline()
        w.element("table", [("class", "items")]) { w in
            w.element("thead") { w in
                w.element("tr") { w in
                    w.element("th", text: labels.citation)
                    w.element("th", text: labels.rule)
                    w.element("th", [("class", "num")], text: labels.points)
                    if showMax { w.element("th", [("class", "num")], text: words.fullMarks) }
                    if check != nil {
                        w.element("th", [("class", "num")], text: labels.selfScore)
                        w.element("th", [("class", "num")], text: labels.difference)
                    }
                    w.element("th", text: labels.note)
                }
            }
            w.element("tbody") { w in
                for (i, item) in items.enumerated() {
                    let row = check?.rows.first { $0.rule == item.rule }
                    w.element("tr", [("data-rule", item.rule)]) { w in
                        w.element("td", [("class", "cite")], text: item.citation)
                        w.element("td", [("class", "title")], text: item.title)
                        w.pointsCell(item.points)
                        if showMax { w.element("td", [("class", "num")], text: maxima[i].map { Points($0).description } ?? "—") }
                        if check != nil {
                            w.element("td", [("class", "num")], text: row?.selfScore?.description ?? "—")
                            w.element("td", [("class", "num")], text: row?.difference?.signed ?? "—")
                        }
                        w.element("td") { w in noteCell(&w, item, row) }
                    }
                    w.newline()
                }
            }
            w.element("tfoot") { w in
                w.element("tr") { w in
                    w.element("td", [("colspan", "2")], text: "\(words.sum)（\(labels.base) \(p.base)）")
                    w.element("td", [("class", "num")], text: sheet.totalText(total))
                    if showMax { w.element("td", text: "") }
                    if let check {
                        w.element("td", [("class", "num")], text: check.selfTotal?.description ?? "—")
                        w.element("td", [("class", "num")], text: check.selfTotal.map { ($0 - total).signed } ?? "—")
                    }
                    w.element("td", text: "")
                }
            }
        }
        w.newline()
        let losses = Self.losses(sheet, items)
        if !losses.isEmpty {
            w.element("p", [("class", "lost")]) { w in
                w.element("strong", text: words.lostLead)
                w.text(losses.prefix(5).map { loss in
                    let rule = [loss.item.citation, loss.item.title].filter { !$0.isEmpty }.joined(separator: " ")
                    return words.lost(rule, loss.lost)
                }.joined(separator: labels.clauseSeparator))
            }
        }
        w.element("footer") { w in
            w.text("\(words.policy) \(p.id) · sha256 ")
            w.element("span", [("class", "hash")], text: String(p.sha256.prefix(16)))
            w.text(" · \(words.dataHash) sha256 ")
            w.element("span", [("class", "hash")], text: String(data.sha256.prefix(16)))
        }
        w.newline()
        w.end()
        w.newline()
    }

    /// The number of units the rank is out of: the unit's group's, or every unit's without `groups`.
    private func groupSize(_ peers: Peers) -> Int {
        sheet.policy.groups == nil ? sheet.unitCount : peers.groupSizes[sheet.data.groupIndex[unit]]
    }

    /// With `tie_break`, one line per unit of the same group with the same total: the first key on which
    /// the two differ and which way, or a shared rank (as `kaohe explain` says it). Units of other groups
    /// are not ranked against this one, whatever their totals.
    private func tieLines(_ peers: Peers) -> [String] {
        let p = sheet.policy
        let others = (peers.sameTotal[Peers.key(sheet, unit)] ?? []).filter { $0 != unit }
        let mine = sheet.tieKeyPoints(of: unit)
        return others.prefix(10).map { v in
            let other = sheet.data.names[v] + labels.paren(sheet.data.unitIDs[v])
            let theirs = sheet.tieKeyPoints(of: v)
            guard let k = p.tieBreak.indices.first(where: { mine[$0] != theirs[$0] }) else { return Labels.fill(labels.tieShared, ["unit": other]) }
            let id = p.tieBreak[k].id
            let name = p.rule(id).map { $0.citation.isEmpty ? $0.title : $0.citation } ?? p.section(id).map { $0.citation ?? $0.title } ?? id
            return Labels.fill(mine[k] > theirs[k] ? labels.tieAhead : labels.tieBehind,
                               ["unit": other, "key": name, "mine": mine[k].description, "theirs": theirs[k].description])
        } + (others.count > 10 ? ["… +\(others.count - 10)"] : [])
    }

    /// The note, the cap, self-check remarks and (with an explanation) the params and data rows.
    private func noteCell(_ w: inout HTMLWriter, _ item: Scoresheet.LineItem, _ row: SelfCheck.Row?) {
        if !item.note.isEmpty { w.element("div", text: item.note) }
        if let cap = item.cap {
            w.element("div", [("class", "warn")], text: "\(labels.capped(cap))（\(labels.raw) \(item.raw.signed)）")
        }
        if let row {
            var parts: [String] = []
            if !row.completed.isEmpty { parts.append("\(labels.completed)：\(row.completed)") }
            if !row.reason.isEmpty { parts.append("\(labels.reason)：\(row.reason)") }
            if !parts.isEmpty { w.element("div", [("class", "detail")], text: parts.joined(separator: " · ")) }
            if !row.problems.isEmpty {
                w.element("div", [("class", "warn")], text: "⚠ " + row.problems.map { $0.label(labels) }.joined(separator: "、"))
            }
        }
        guard let use = explanation?.rules.first(where: { $0.item.rule == item.rule }) else { return }
        if !use.params.isEmpty {
            w.element("div", [("class", "detail")],
                      text: "\(labels.params)：" + use.params.map { "\($0.path) = \($0.value)" }.joined(separator: ", "))
        }
        if !use.cells.isEmpty {
            w.element("div", [("class", "detail")]) { w in
                w.text("\(labels.data)：")
                for c in use.cells.prefix(Self.rowLimit) {
                    w.empty("br")
                    w.text(ExplainReport.cellText(c, labels))
                }
                if use.cells.count > Self.rowLimit {
                    w.empty("br")
                    w.text("… +\(use.cells.count - Self.rowLimit)")
                }
            }
        }
    }
}

extension NoticeSection {
    /// `kaohe explain --format html`: the unit's notice alone, with the params and data rows behind each rule.
    static func page(_ e: Explanation, sheet: Scoresheet, language: Language) -> String {
        let labels = Labels.forLanguage(language), words = HTMLLabels.forLanguage(language)
        let p = sheet.policy
        return HTMLWriter.document(title: "\(e.name) · \(words.notice) · \(p.title) \(p.year)", lang: words.htmlLang,
                                   extraStyle: BulletinPage.awardStyle(sheet)) { w in
            NoticeSection(sheet: sheet, unit: e.unit, labels: labels, words: words, explanation: e).draw(&w)
            w.policyFacts(p, dataSHA256: sheet.data.sha256, labels, words)
            w.element("p", [("class", "doc-footer")], text: words.generated)
        }
    }
}
