/// Renders a comparison: per unit the two totals, the change, ranks, band changes and the rules behind the
/// change; then who entered or left each band and the largest movers.
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

    static func total(_ u: Comparison.Side.Unit?) -> String { u?.total.description ?? "—" }
    static func rank(_ u: Comparison.UnitChange) -> String { "\(u.a.map { String($0.rank) } ?? "—")→\(u.b.map { String($0.rank) } ?? "—")" }

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
        for band in c.bandChanges {
            let entered = band.entered.isEmpty ? l.none : band.entered.map(name).joined(separator: l.listSeparator)
            let left = band.left.isEmpty ? l.none : band.left.map(name).joined(separator: l.listSeparator)
            out += "\(bullet)\(md(band.label))\(l.colon)\(l.entered) \(entered)\(l.clauseSeparator)\(l.left) \(left)\n"
        }
        let movers = c.largestMovers()
        if !movers.isEmpty {
            out += "\(bullet)\(l.movers)\(l.colon)" + movers.map { "\(md("\($0.unit) \($0.name)")) \($0.delta.signed)\(l.paren(rank($0)))" }.joined(separator: l.listSeparator) + "\n"
        }
        let changed = c.units.filter { $0.delta != .zero }.count
        out += "\(bullet)\(l.delta) ≠ 0\(l.colon)\(changed) \(l.of) \(c.units.count) \(l.units)\n"
        return out
    }

    static func table(_ c: Comparison, _ l: Labels) -> String {
        var rows = [[l.unit, l.name, c.a.label, c.b.label, l.delta, l.rank, l.bands, l.byRule]]
        for u in c.units {
            rows.append([u.unit, u.name, total(u.a), total(u.b), u.delta.signed, rank(u), bandText(c, u),
                         ruleText(c, u, names: false)])
        }
        var out = heading(c, l) + "\n"
        out += TextWidth.table(rows, alignments: [.left, .left, .right, .right, .right, .left, .left, .left])
        out += summary(c, l, bullet: "")
        return out
    }

    static func csv(_ c: Comparison) -> String {
        let keys = c.ruleKeys.map(\.key)
        // for spreadsheets, as the score CSV: a UTF-8 byte order mark and CRLF
        var out = CSVText.byteOrderMark + (["unit", "name", "total_a", "total_b", "delta", "rank_a", "rank_b", "bands_a", "bands_b"]
            + keys.map { "delta_" + $0 }).joined(separator: ",") + "\r\n"
        for u in c.units {
            var row = [u.unit, u.name, total(u.a), total(u.b), u.delta.description,
                       u.a.map { String($0.rank) } ?? "", u.b.map { String($0.rank) } ?? "",
                       (u.a?.bands ?? []).joined(separator: ";"), (u.b?.bands ?? []).joined(separator: ";")]
            let byKey = Dictionary(u.byRule.map { ($0.key, $0.delta) }, uniquingKeysWith: { x, _ in x })
            row += keys.map { (byKey[$0] ?? .zero).description }
            out += row.map(ScoreReport.csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func markdown(_ c: Comparison, _ l: Labels) -> String {
        let md = MarkdownText.text
        var out = "# \(md(heading(c, l)))\n\n"
        out += "| \(l.unit) | \(l.name) | \(md(c.a.label)) | \(md(c.b.label)) | \(l.delta) | \(l.rank) | \(l.bands) | \(l.byRule) |\n"
        out += "|---|---|---:|---:|---:|---|---|---|\n"
        for u in c.units {
            out += "| \(md(u.unit)) | \(md(u.name)) | \(total(u.a)) | \(total(u.b)) | \(u.delta.signed) | \(rank(u)) | "
                + "\(md(bandText(c, u))) | \(md(ruleText(c, u, names: true))) |\n"
        }
        return out + "\n" + summary(c, l, bullet: "- ", markdown: true)
    }

    static func json(_ c: Comparison) -> String {
        func side(_ s: Comparison.Side, _ w: inout JSONWriter) {
            w.beginObject()
            w.field("label", string: s.label)
            w.field("policy") { w in
                w.beginObject()
                w.field("id", string: s.policy.id)
                w.field("title", string: s.policy.title)
                w.field("year") { $0.number(s.policy.year) }
                w.field("sha256", string: s.policy.sha256)
                w.endObject()
            }
            w.endObject()
        }
        func strings(_ xs: [String], _ w: inout JSONWriter) {
            w.beginArray()
            for x in xs { w.element { $0.string(x) } }
            w.endArray()
        }
        var w = JSONWriter()
        w.beginObject()
        w.field("a") { side(c.a, &$0) }
        w.field("b") { side(c.b, &$0) }
        w.field("units") { w in
            w.beginArray()
            for u in c.units {
                w.element { w in
                    w.beginObject()
                    w.field("unit", string: u.unit)
                    w.field("name", string: u.name)
                    w.field("total_a") { w in if let t = u.a?.total { w.number(t) } else { w.raw("null") } }
                    w.field("total_b") { w in if let t = u.b?.total { w.number(t) } else { w.raw("null") } }
                    w.field("delta") { $0.number(u.delta) }
                    w.field("rank_a") { w in if let r = u.a?.rank { w.number(r) } else { w.raw("null") } }
                    w.field("rank_b") { w in if let r = u.b?.rank { w.number(r) } else { w.raw("null") } }
                    w.field("bands_a") { strings(u.a?.bands ?? [], &$0) }
                    w.field("bands_b") { strings(u.b?.bands ?? [], &$0) }
                    w.field("entered") { strings(u.bandsEntered, &$0) }
                    w.field("left") { strings(u.bandsLeft, &$0) }
                    w.field("rules") { w in
                        w.beginArray()
                        for r in u.byRule {
                            w.element { w in
                                w.beginObject()
                                w.field("rule", string: r.key)
                                w.field("delta") { $0.number(r.delta) }
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
        w.field("bands") { w in
            w.beginArray()
            for b in c.bandChanges {
                w.element { w in
                    w.beginObject()
                    w.field("band", string: b.band)
                    w.field("entered") { strings(b.entered, &$0) }
                    w.field("left") { strings(b.left, &$0) }
                    w.endObject()
                }
            }
            w.endArray()
        }
        w.field("movers") { strings(c.largestMovers().map(\.unit), &$0) }
        w.endObject()
        return w.output + "\n"
    }
}
