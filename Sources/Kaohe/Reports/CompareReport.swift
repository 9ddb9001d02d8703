/// Renders a comparison: per unit the two totals, the change, ranks, band changes and the rules behind the
/// change; then who entered or left each band and the largest movers. With groups, a group column leads
/// each row (乡镇→街道 for a unit whose group changed) and band changes are told per group; with vetoes, a
/// column shows those gained (+) and lost (−) and a line lists them with their notes. Without either, the
/// output is what it was before groups and vetoes existed.
public enum CompareReport {
    public enum Format: String, CaseIterable, Sendable {
        case table, csv, markdown, json
        /// A self-contained page: band changes, a slope chart of ranks, per-rule attribution as stacked bars.
        case html
    }

    public static func render(_ c: Comparison, format: Format, language: Language) -> String {
        let l = Labels.forLanguage(language)
        switch format {
        case .table: return TerminalText.escaped(table(c, l), keepingLineBreaks: true)
        case .csv: return csv(c)
        case .markdown: return markdown(c, l)
        case .json: return json(c)
        case .html: return ComparePage(c, language: language).render()
        }
    }

    static func heading(_ c: Comparison, _ l: Labels) -> String {
        "\(l.compared)\(l.colon)\(c.a.label) → \(c.b.label) · \(c.units.count) \(l.units)"
    }

    /// A unit's total on one side, as that side's policy prints totals.
    static func total(_ side: Comparison.Side, _ u: Comparison.Side.Unit?) -> String { u.map { side.totalText($0.total) } ?? "—" }
    static func rank(_ u: Comparison.UnitChange) -> String { "\(u.a.map { String($0.rank) } ?? "—")→\(u.b.map { String($0.rank) } ?? "—")" }

    /// The rank move as the movers line tells it: "2→5", or with the groups when the unit changed group
    /// ("街道 1→乡镇 3": two ranks in two groups, not a move within one).
    static func rankMove(_ c: Comparison, _ u: Comparison.UnitChange) -> String {
        guard u.groupChanged, let a = u.a, let b = u.b, let ga = a.group, let gb = b.group else { return rank(u) }
        return "\(c.a.groupLabel(ga)) \(a.rank)→\(c.b.groupLabel(gb)) \(b.rank)"
    }

    /// The group column: the unit's group label, or "A→B" when it changed group.
    static func groupText(_ c: Comparison, _ u: Comparison.UnitChange) -> String {
        if u.groupChanged, let ga = u.a?.group, let gb = u.b?.group { return "\(c.a.groupLabel(ga))→\(c.b.groupLabel(gb))" }
        if let g = u.b?.group { return c.b.groupLabel(g) }
        if let g = u.a?.group { return c.a.groupLabel(g) }
        return ""
    }

    /// The vetoes column: "+团费收缴率低于90%" gained, "−…" lost.
    static func vetoText(_ u: Comparison.UnitChange) -> String {
        (u.vetoesGained.map { "+" + $0.veto.title } + u.vetoesLost.map { "−" + $0.veto.title }).joined(separator: " ")
    }

    /// A row of the table and the Markdown table: group (with groups), unit, name, totals, change, ranks, band
    /// changes, vetoes (with vetoes) and the change by rule.
    static func cells(_ c: Comparison, _ u: Comparison.UnitChange, names: Bool) -> [String] {
        var row = [u.unit, u.name, total(c.a, u.a), total(c.b, u.b), u.delta.signed, rank(u), bandText(c, u)]
        if c.grouped { row.insert(groupText(c, u), at: 0) }
        if c.hasVetoes { row.append(vetoText(u)) }
        return row + [ruleText(c, u, names: names)]
    }

    static func header(_ c: Comparison, _ l: Labels) -> [String] {
        var row = [l.unit, l.name, c.a.label, c.b.label, l.delta, l.rank, l.bands]
        if c.grouped { row.insert(l.group, at: 0) }
        if c.hasVetoes { row.append(l.vetoes) }
        return row + [l.byRule]
    }

    static func bandLabel(_ c: Comparison, _ id: String) -> String {
        (c.b.bands.first { $0.id == id } ?? c.a.bands.first { $0.id == id })?.label ?? id
    }

    static func bandText(_ c: Comparison, _ u: Comparison.UnitChange) -> String {
        (u.bandsEntered.map { "+" + bandLabel(c, $0) } + u.bandsLeft.map { "−" + bandLabel(c, $0) }).joined(separator: " ")
    }

    static func ruleText(_ c: Comparison, _ u: Comparison.UnitChange, names: Bool) -> String {
        u.byRule.map { "\(names ? c.ruleName($0.key) : $0.key) \($0.delta.signed)" }.joined(separator: "；")
    }

    static func summary(_ c: Comparison, _ l: Labels, bullet: String, markdown: Bool = false) -> String {
        var out = ""
        func md(_ s: String) -> String { markdown ? MarkdownText.text(s) : s }
        let name: (String) -> String = { id in md("\(id) \(c.units.first { $0.unit == id }?.name ?? "")") }
        for section in c.groupChanges {
            for band in section.bands {
                let entered = band.entered.isEmpty ? l.none : band.entered.map(name).joined(separator: l.listSeparator)
                let left = band.left.isEmpty ? l.none : band.left.map(name).joined(separator: l.listSeparator)
                let title = section.label.map { band.label + l.paren($0) } ?? band.label
                out += "\(bullet)\(md(title))\(l.colon)\(l.entered) \(entered)\(l.clauseSeparator)\(l.left) \(left)\n"
            }
        }
        out += groupLines(c, l, bullet: bullet, markdown: markdown)
        let movers = c.largestMovers()
        if !movers.isEmpty {
            out += "\(bullet)\(l.movers)\(l.colon)" + movers.map { "\(md("\($0.unit) \($0.name)")) \($0.delta.signed)\(l.paren(md(rankMove(c, $0))))" }.joined(separator: l.listSeparator) + "\n"
        }
        let changed = c.units.filter { $0.delta != .zero }.count
        out += "\(bullet)\(l.delta) ≠ 0\(l.colon)\(changed) \(l.of) \(c.units.count) \(l.units)\n"
        return out
    }

    /// With groups: the units whose group changed, and a side that does not rank within groups; with vetoes:
    /// the vetoes units gained and lost, with title and note. Empty without groups and vetoes.
    static func groupLines(_ c: Comparison, _ l: Labels, bullet: String, markdown: Bool) -> String {
        let words = l.groupWords
        // a note or name with a line break stays on its line
        func md(_ s: String) -> String { markdown ? MarkdownText.text(s) : TerminalText.escaped(s) }
        var out = ""
        if c.grouped {
            let moves = c.groupMoves
            if !moves.isEmpty {
                out += "\(bullet)\(words.groupChanges)\(l.colon)" + moves.map { md("\($0.unit) \($0.name) \(groupText(c, $0))") }
                    .joined(separator: l.listSeparator) + "\n"
            }
            for side in [c.a, c.b] where side.groups == nil {
                out += "\(bullet)\(l.warning)\(md(Labels.fill(words.ungroupedSide, ["side": side.label])))\n"
            }
        }
        if c.hasVetoes {
            func hits(_ pick: (Comparison.UnitChange) -> [VetoRecord.Hit]) -> String {
                let items = c.units.flatMap { u in
                    pick(u).map { h in md("\(u.unit) \(u.name) \(h.veto.name)" + (h.note.isEmpty ? "" : l.paren(h.note))) }
                }
                return items.isEmpty ? l.none : items.joined(separator: l.listSeparator)
            }
            out += "\(bullet)\(l.vetoes)\(l.colon)\(words.vetoGained) \(hits(\.vetoesGained))\(l.clauseSeparator)"
                + "\(words.vetoLost) \(hits(\.vetoesLost))\n"
        }
        return out
    }

    static func table(_ c: Comparison, _ l: Labels) -> String {
        var rows = [header(c, l)]
        for u in c.units { rows.append(cells(c, u, names: false)) }
        var out = heading(c, l) + "\n"
        var alignments: [TextWidth.Alignment] = [.left, .left, .right, .right, .right, .left, .left]
        if c.grouped { alignments.insert(.left, at: 0) }
        if c.hasVetoes { alignments.append(.left) }
        out += TextWidth.table(rows, alignments: alignments + [.left])
        out += summary(c, l, bullet: "")
        return out
    }

    static func csv(_ c: Comparison) -> String {
        let keys = c.ruleKeys.map(\.key)
        var header = ["unit", "name", "total_a", "total_b", "delta", "rank_a", "rank_b", "bands_a", "bands_b"]
        if c.grouped { header += ["group_a", "group_b"] }
        if c.hasVetoes { header += ["vetoes_a", "vetoes_b"] }
        // for spreadsheets, as the score CSV: a UTF-8 byte order mark and CRLF
        var out = CSVText.byteOrderMark + (header + keys.map { "delta_" + $0 }).joined(separator: ",") + "\r\n"
        for u in c.units {
            var row = [u.unit, u.name, total(c.a, u.a), total(c.b, u.b), u.delta.description,
                       u.a.map { String($0.rank) } ?? "", u.b.map { String($0.rank) } ?? "",
                       (u.a?.bands ?? []).joined(separator: ";"), (u.b?.bands ?? []).joined(separator: ";")]
            if c.grouped { row += [u.a?.group ?? "", u.b?.group ?? ""] }
            if c.hasVetoes {
                row += [(u.a?.vetoes ?? []).map(\.veto.id).joined(separator: ";"), (u.b?.vetoes ?? []).map(\.veto.id).joined(separator: ";")]
            }
            let byKey = Dictionary(u.byRule.map { ($0.key, $0.delta) }, uniquingKeysWith: { x, _ in x })
            row += keys.map { (byKey[$0] ?? .zero).description }
            out += row.map(ScoreReport.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func markdown(_ c: Comparison, _ l: Labels) -> String {
        let md = MarkdownText.text
        var out = "# \(md(heading(c, l)))\n\n"
        out += "| " + header(c, l).map(md).joined(separator: " | ") + " |\n"
        var rule = ["---", "---", "---:", "---:", "---:", "---", "---"]
        if c.grouped { rule.insert("---", at: 0) }
        if c.hasVetoes { rule.append("---") }
        out += "|" + (rule + ["---"]).joined(separator: "|") + "|\n"
        for u in c.units {
            out += "| " + cells(c, u, names: true).map(md).joined(separator: " | ") + " |\n"
        }
        return out + "\n" + summary(c, l, bullet: "- ", markdown: true)
    }
}
