/// Renders a policy diff as an aligned table, Markdown or JSON.
public enum DiffReport {
    public enum Format: String, CaseIterable, Sendable {
        case table, markdown, json
        /// A self-contained page, old and new side by side; with `comparison`, the units each change moved.
        case html
    }

    /// `comparison`: the same data scored under both policies (only the HTML page shows it).
    public static func render(_ diff: PolicyDiff, format: Format, language: Language? = nil, comparison: Comparison? = nil) -> String {
        let l = Labels.forLanguage(language ?? diff.new.language)
        switch format {
        case .table: return TerminalText.escaped(table(diff, l), keepingLineBreaks: true)
        case .markdown: return markdown(diff, l)
        case .json: return json(diff)
        case .html: return DiffPage(diff, comparison: comparison, language: language ?? diff.new.language).render()
        }
    }

    static func heading(_ d: PolicyDiff) -> String {
        "\(d.old.title) \(d.old.year)（\(d.old.id)）→ \(d.new.title) \(d.new.year)（\(d.new.id)）"
    }

    /// "第九条 “青年大学习”参学率 (study)" for rules; the id for other subjects.
    static func subject(_ c: PolicyDiff.Change, _ d: PolicyDiff) -> String {
        switch c.area {
        case "rule":
            guard let r = d.new.rule(c.subject) ?? d.old.rule(c.subject) else { return c.subject }
            return [r.citation, r.title].filter { !$0.isEmpty }.joined(separator: " ") + " (\(r.id))"
        case "metadata": return "policy"
        case "params": return "params"
        default: return "\(c.area) \(c.subject)"
        }
    }

    static func rows(_ d: PolicyDiff, _ l: Labels) -> [[String]] {
        d.changes.map { c in
            [l.kind(c.kind), subject(c, d), c.field.isEmpty ? "—" : c.field, c.old ?? "—", c.new ?? "—"]
        }
    }

    static func table(_ d: PolicyDiff, _ l: Labels) -> String {
        var out = heading(d) + "\n"
        if d.changes.isEmpty { return out + "no changes\n" }
        let lines = TextWidth.table([[l.change, l.subject, l.field, l.old, l.new]] + rows(d, l),
                                    alignments: [.left, .left, .left, .left, .left]).split(separator: "\n")
        out += lines[0] + "\n"
        for (i, c) in d.changes.enumerated() {
            out += lines[i + 1] + "\n"
            for line in c.lines { out += "      " + TerminalText.escaped(line) + "\n" }
        }
        out += "\(d.changes.count) change\(d.changes.count == 1 ? "" : "s")\n"
        return out
    }

    static func markdown(_ d: PolicyDiff, _ l: Labels) -> String {
        var out = "# \(MarkdownText.text(heading(d)))\n\n"
        if d.changes.isEmpty { return out + "No changes.\n" }
        out += "| \(l.change) | \(l.subject) | \(l.field) | \(l.old) | \(l.new) |\n|---|---|---|---|---|\n"
        for (c, row) in zip(d.changes, rows(d, l)) {
            var cells = row.map(ScoreReport.markdownCell)
            if !c.lines.isEmpty { cells[4] = "<code>" + c.lines.map(ScoreReport.markdownCell).joined(separator: "<br>") + "</code>" }
            out += "| " + cells.joined(separator: " | ") + " |\n"
        }
        return out
    }

    static func json(_ d: PolicyDiff) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("old") { d.old.writeSummary(to: &$0) }
        w.field("new") { d.new.writeSummary(to: &$0) }
        w.field("changes") { w in
            w.beginArray()
            for c in d.changes {
                w.element { w in
                    w.beginObject()
                    w.field("kind", string: c.kind.rawValue)
                    w.field("area", string: c.area)
                    w.field("subject", string: c.subject)
                    w.field("field", string: c.field)
                    w.field("old", string: c.old)
                    w.field("new", string: c.new)
                    if !c.lines.isEmpty {
                        w.field("lines") { w in
                            w.beginArray()
                            for line in c.lines { w.element { $0.string(line) } }
                            w.endArray()
                        }
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
