import Foundation

/// One unit's breakdown, written for the unit's own staff: each rule with its article, points, note, caps,
/// and the params and data it used.
public enum ExplainReport {
    public enum Format: String, CaseIterable, Sendable {
        case text, json, markdown
        /// The unit's results notice as a self-contained HTML page.
        case html
    }

    /// How many data rows to list per rule before summarising.
    static let rowLimit = 40

    public static func render(_ e: Explanation, sheet: Scoresheet, format: Format, language: Language? = nil) -> String {
        let l = Labels.forLanguage(language ?? sheet.policy.language)
        switch format {
        case .text: return TerminalText.escaped(text(e, sheet, l), keepingLineBreaks: true)
        case .markdown: return markdown(e, sheet, l)
        case .json: return json(e, sheet)
        case .html: return NoticeSection.page(e, sheet: sheet, language: language ?? sheet.policy.language)
        }
    }

    static func bandText(_ e: Explanation, _ sheet: Scoresheet, _ l: Labels) -> String {
        e.bands.map { id in
            let b = sheet.policy.bands.first { $0.id == id }
            return (b?.label ?? id) + (b?.meaning.map { l.paren($0) } ?? "")
        }.joined(separator: l.listSeparator)
    }

    static func summary(_ e: Explanation, _ sheet: Scoresheet, _ l: Labels) -> String {
        let p = sheet.policy
        // a rounded total: "总分 58.9 ≈ 58.865 = 基础分 100 加减分 -41.135"
        let rounded = e.total != e.exactTotal ? " ≈ \(e.exactTotal)" : ""
        var s = "\(l.total) \(sheet.totalText(e.total))\(rounded) = \(l.base) \(p.base) \(l.adjustments) \((e.exactTotal - p.base).signed)"
        s += " · \(l.rank) \(e.rank) \(l.of) \(e.groupSize)" + (e.groupLabel.map { l.paren($0) } ?? "")
        if !e.bands.isEmpty { s += " · " + bandText(e, sheet, l) }
        return s
    }

    /// "一票否决：第十七条之一 团费收缴率低于90%（团费收缴率 85%）；取消评优资格", one line per veto.
    static func vetoLines(_ e: Explanation, _ l: Labels) -> [String] {
        e.vetoes.map { hit in
            "\(l.vetoes)\(l.colon)\(ScoreReport.vetoReasons([hit], l))\(l.clauseSeparator)\(l.vetoed)"
        }
    }

    static func cellText(_ c: Explanation.CellUse, _ l: Labels) -> String {
        let file = (c.file as NSString).lastPathComponent
        let where_ = file.hasSuffix(".json") ? "\(file) \(c.table) \(l.line(c.line))" : "\(file) \(l.line(c.line))"
        return where_ + l.colon + c.values.map { "\($0.column)=\($0.value.isEmpty ? l.empty : $0.value)" }.joined(separator: " ")
    }

    static func selfCheckLine(_ row: SelfCheck.Row, _ l: Labels) -> String {
        var parts = ["\(l.selfScore) \(row.selfScore?.description ?? "—")", "\(l.verified) \(row.verified)"]
        if let d = row.difference { parts.append("\(l.difference) \(d.signed)") }
        if !row.completed.isEmpty { parts.append("\(l.completed)\(l.colon)\(row.completed)") }
        if !row.reason.isEmpty { parts.append("\(l.reason)\(l.colon)\(row.reason)") }
        if !row.problems.isEmpty { parts.append("⚠ " + row.problems.map { $0.label(l) }.joined(separator: l.listSeparator)) }
        return parts.joined(separator: " · ")
    }

    /// One line per unit with the same total: which tie-break key put it ahead or behind, or a shared rank.
    static func tieLines(_ e: Explanation, _ sheet: Scoresheet, _ l: Labels) -> [String] {
        e.ties.prefix(10).map { t in
            let unit = t.name + l.paren(t.unitID)
            guard let key = t.key, let mine = t.mine, let theirs = t.theirs else { return Labels.fill(l.tieShared, ["unit": unit]) }
            let name = sheet.policy.rule(key).map { $0.citation.isEmpty ? $0.title : $0.citation }
                ?? sheet.policy.section(key).map { $0.citation ?? $0.title } ?? key
            return Labels.fill(t.ahead ? l.tieAhead : l.tieBehind,
                               ["unit": unit, "key": name, "mine": mine.description, "theirs": theirs.description])
        } + (e.ties.count > 10 ? ["… +\(e.ties.count - 10)"] : [])
    }

    static func text(_ e: Explanation, _ sheet: Scoresheet, _ l: Labels) -> String {
        let p = sheet.policy
        let check = SelfCheck(sheet, unit: e.unit)
        var out = "\(e.name)\(l.paren(e.unitID))· \(p.title) \(p.year)\n"
        out += summary(e, sheet, l) + "\n"
        for line in vetoLines(e, l) + tieLines(e, sheet, l) { out += TerminalText.escaped(line) + "\n" }
        for r in e.rules {
            let item = r.item
            out += "\n" + [item.citation, item.title].filter { !$0.isEmpty }.joined(separator: " ") + "  " + item.points.signed + "\n"
            if !item.note.isEmpty { out += "  \(l.note)\(l.colon)\(TerminalText.indented(item.note, "    "))\n" }
            if let row = check?.rows.first(where: { $0.rule == item.rule }) { out += "  " + selfCheckLine(row, l) + "\n" }
            if let cap = item.cap { out += "  \(l.capped(cap))\(l.paren("\(l.raw) \(item.raw.signed)"))\n" }
            if !r.params.isEmpty {
                out += "  \(l.params)\(l.colon)" + r.params.map { "\($0.path) = \($0.value)" }.joined(separator: ", ") + "\n"
            }
            if !r.cells.isEmpty {
                out += "  \(l.data)\(l.colon.trimmingCharacters(in: .whitespaces))\n"
                for c in r.cells.prefix(rowLimit) { out += "    " + cellText(c, l) + "\n" }
                if r.cells.count > rowLimit { out += "    … +\(r.cells.count - rowLimit)\n" }
            }
        }
        return out
    }

    static func markdown(_ e: Explanation, _ sheet: Scoresheet, _ l: Labels) -> String {
        let p = sheet.policy
        let check = SelfCheck(sheet, unit: e.unit)
        let md = MarkdownText.text
        var out = "# \(md(e.name + l.paren(e.unitID)))\n\n\(md("\(p.title) \(p.year) · \(summary(e, sheet, l))"))\n\n"
        for line in vetoLines(e, l) + tieLines(e, sheet, l) { out += "- " + md(line) + "\n" }
        if !e.ties.isEmpty || !e.vetoes.isEmpty { out += "\n" }
        out += "| \(l.citation) | \(l.rule) | \(l.points) | \(l.note) |\n|---|---|---:|---|\n"
        for r in e.rules {
            var note = r.item.note
            if let cap = r.item.cap { note += (note.isEmpty ? "" : l.clauseSeparator) + l.capped(cap) }
            if let row = check?.rows.first(where: { $0.rule == r.item.rule }) { note += l.clauseSeparator + selfCheckLine(row, l) }
            out += "| \(md(r.item.citation)) | \(md(r.item.title)) | \(r.item.points.signed) | \(md(note)) |\n"
        }
        out += "| | **\(l.total)** | **\(sheet.totalText(e.total))** | |\n"
        return out
    }

    static func json(_ e: Explanation, _ sheet: Scoresheet) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("policy") { sheet.policy.writeSummary(to: &$0) }
        w.field("unit", string: e.unitID)
        w.field("name", string: e.name)
        w.field("base") { $0.number(sheet.policy.base) }
        w.field("total") { $0.raw(sheet.totalText(e.total)) }
        if e.total != e.exactTotal { w.field("exact_total") { $0.number(e.exactTotal) } }
        if let group = e.group { w.field("group", string: group) }
        w.field("rank") { $0.number(e.rank) }
        if !sheet.policy.vetoes.isEmpty { w.field("vetoes") { ScoreReport.writeVetoes(sheet, e.unit, to: &$0) } }
        w.field("bands") { w in
            w.beginArray()
            for b in e.bands { w.element { $0.string(b) } }
            w.endArray()
        }
        if !sheet.policy.tieBreak.isEmpty {
            w.field("ties") { w in
                w.beginArray()
                for t in e.ties {
                    w.element { w in
                        w.beginObject()
                        w.field("unit", string: t.unitID)
                        w.field("key", string: t.key)
                        w.field("points") { w in if let m = t.mine { w.number(m) } else { w.raw("null") } }
                        w.field("other_points") { w in if let o = t.theirs { w.number(o) } else { w.raw("null") } }
                        w.field("order", string: t.key == nil ? "shared" : t.ahead ? "ahead" : "behind")
                        w.endObject()
                    }
                }
                w.endArray()
            }
        }
        w.field("items") { w in
            w.beginArray()
            for r in e.rules {
                w.element { w in
                    w.beginObject()
                    w.field("rule", string: r.item.rule)
                    w.field("citation", string: r.item.citation)
                    w.field("title", string: r.item.title)
                    w.field("points") { $0.number(r.item.points) }
                    w.field("raw") { $0.number(r.item.raw) }
                    w.field("cap", string: r.item.cap)
                    w.field("note", string: r.item.note)
                    w.field("params") { w in
                        w.beginObject()
                        for p in r.params { w.field(p.path, string: p.value) }
                        w.endObject()
                    }
                    w.field("inputs") { w in
                        w.beginArray()
                        for c in r.cells {
                            w.element { w in
                                w.beginObject()
                                w.field("table", string: c.table)
                                w.field("file", string: c.file)
                                w.field("line") { $0.number(c.line) }
                                w.field("values") { w in
                                    w.beginObject()
                                    for v in c.values { w.field(v.column, string: v.value) }
                                    w.endObject()
                                }
                                w.endObject()
                            }
                        }
                        w.endArray()
                    }
                    w.endObject()
                }
            }
            w.endArray()
        }
        w.endObject()
        return w.output + "\n"
    }
}
