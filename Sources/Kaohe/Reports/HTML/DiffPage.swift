/// The policy changes side by side (old value → new value, score functions as line diffs); given the same
/// data scored under both policies, each changed rule links to the units it moved and by how much.
struct DiffPage {
    var diff: PolicyDiff
    var comparison: Comparison?
    var labels: Labels
    var words: HTMLLabels

    init(_ diff: PolicyDiff, comparison: Comparison?, language: Language) {
        self.diff = diff
        self.comparison = comparison
        labels = Labels.forLanguage(language)
        words = HTMLLabels.forLanguage(language)
    }

    func render() -> String {
        let d = diff
        let title = "\(words.policyChanges)：\(d.old.id) → \(d.new.id)"
        return HTMLWriter.document(title: title, lang: words.htmlLang) { w in
            w.element("header", [("class", "doc")]) { w in
                w.element("h1", text: title)
                w.element("p", [("class", "kicker")], text: DiffReport.heading(d))
                w.element("div", [("class", "sides")]) { w in
                    w.element("div", [("class", "old")]) { $0.policyFacts(d.old, dataSHA256: nil, labels, words) }
                    w.element("div", [("class", "new")]) { $0.policyFacts(d.new, dataSHA256: nil, labels, words) }
                }
                if let c = comparison {
                    let moved = c.units.filter { $0.delta != .zero }.count
                    w.element("p", text: "\(words.affected)：\(moved) \(labels.of) \(c.units.count) \(labels.units)")
                }
            }
            w.newline()
            w.element("h2", [("id", "changes")], text: "\(d.changes.count) \(words.changeCount)")
            changesTable(&w)
            if let c = comparison {
                let page = ComparePage(c, language: labels.language)
                w.element("h2", [("id", "bands")], text: words.bandChanges)
                page.bandSummary(&w)
                w.element("h2", [("id", "units")], text: words.affected)
                page.unitTable(&w, units: c.units.filter { $0.delta != .zero || !$0.byRule.isEmpty || !$0.bandsEntered.isEmpty || !$0.bandsLeft.isEmpty },
                               linked: d.changedRuleIDs)
            }
            w.element("p", [("class", "doc-footer")], text: words.generated)
        }
    }

    /// Units a change moved: for a rule, those whose points under it differ; for a band, who entered or left.
    func moved(_ change: PolicyDiff.Change) -> [(unit: String, name: String, text: String)]? {
        guard let c = comparison else { return nil }
        switch change.area {
        case "rule":
            return c.units.compactMap { u in
                u.byRule.first { $0.key == change.subject }.map { (u.unit, u.name, $0.delta.signed) }
            }
        case "section":
            return c.units.compactMap { u in
                u.byRule.first { $0.key == "section:" + change.subject }.map { (u.unit, u.name, $0.delta.signed) }
            }
        case "band":
            guard let b = c.bandChanges.first(where: { $0.band == change.subject }) else { return [] }
            let names = Dictionary(uniqueKeysWithValues: c.units.map { ($0.unit, $0.name) })
            return b.entered.map { ($0, names[$0] ?? $0, "+") } + b.left.map { ($0, names[$0] ?? $0, "−") }
        default:
            return nil
        }
    }

    private func changesTable(_ w: inout HTMLWriter) {
        let d = diff
        let rows = DiffReport.rows(d, labels)
        // changes of one subject are adjacent; the units they moved are shown once, beside the first
        var spans: [Int: Int] = [:]
        var i = 0
        while i < d.changes.count {
            var j = i + 1
            while j < d.changes.count && d.changes[j].area == d.changes[i].area && d.changes[j].subject == d.changes[i].subject { j += 1 }
            spans[i] = j - i
            i = j
        }
        w.element("table", [("class", "diff")]) { w in
            w.element("thead") { w in
                w.element("tr") { w in
                    for h in [labels.change, labels.subject, labels.field, labels.old, labels.new] { w.element("th", text: h) }
                    if comparison != nil { w.element("th", text: words.impact) }
                }
            }
            w.element("tbody") { w in
                for (k, (change, row)) in zip(d.changes, rows).enumerated() {
                    var attributes: HTMLWriter.Attributes = [("data-area", change.area), ("data-kind", change.kind.rawValue)]
                    if spans[k] != nil && change.area == "rule" { attributes.append(("id", HTMLWriter.anchor(rule: change.subject))) }
                    w.element("tr", attributes) { w in
                        w.element("td", text: row[0])
                        w.element("td", text: row[1])
                        w.element("td", text: row[2])
                        w.element("td", [("class", "old")], text: row[3])
                        w.element("td", [("class", "new")]) { w in
                            if change.lines.isEmpty { w.text(row[4]) } else { codeLines(&w, change.lines) }
                        }
                        if comparison != nil, let span = spans[k] {
                            w.element("td", [("rowspan", String(span))]) { w in impactCell(&w, change) }
                        }
                    }
                    w.newline()
                }
            }
        }
    }

    private func impactCell(_ w: inout HTMLWriter, _ change: PolicyDiff.Change) {
        guard let units = moved(change) else {
            w.text("—")
            return
        }
        if units.isEmpty { w.text(labels.none) }
        for (i, u) in units.enumerated() {
            if i > 0 { w.text(labels.listSeparator) }
            w.unitLink(u.unit, u.name)
            w.text(" " + u.text)
        }
    }

    private func codeLines(_ w: inout HTMLWriter, _ lines: [String]) {
        w.element("pre", [("class", "code")]) { w in
            for (i, line) in lines.enumerated() {
                if i > 0 { w.text("\n") }
                w.element("span", [("class", line.hasPrefix("-") ? "del" : "ins")], text: line)
            }
        }
    }
}
