import Foundation

/// Renders the run history: `history list` (one line per run) and `history show RUN` (a run's header and
/// ranking, with band and group labels), as an aligned table or JSON. Times are UTC in ISO 8601, so output never depends on the machine.
public enum HistoryReport {
    /// Output formats of `kaohe history`.
    public enum Format: String, CaseIterable, Sendable {
        case table, json
    }

    /// The first 12 hex digits of a sha256, as tables show it.
    public static func short(_ sha256: String) -> String { String(sha256.prefix(12)) }

    /// `history list`: id, time, policy, year, label, units and short hashes, newest first as given.
    public static func list(_ runs: [RunSummary], format: Format, language: Language = .zh) -> String {
        switch format {
        case .table: return TerminalText.escaped(listTable(runs, Labels.forLanguage(language)), keepingLineBreaks: true)
        case .json: return listJSON(runs)
        }
    }

    /// `history show`: the run's header and its ranking (JSON adds every unit's line items).
    public static func show(_ run: RunRecord, format: Format, language: Language = .zh) -> String {
        switch format {
        case .table: return TerminalText.escaped(showTable(run, Labels.forLanguage(language)), keepingLineBreaks: true)
        case .json: return showJSON(run)
        }
    }

    static func listTable(_ runs: [RunSummary], _ l: Labels) -> String {
        if runs.isEmpty { return l.noRuns + "\n" }
        var rows = [l.runColumns]
        for r in runs {
            rows.append([String(r.id), HistoryTime.string(r.createdAt, milliseconds: false), r.policyID,
                         String(r.policyYear), r.label ?? "", String(r.unitCount), short(r.policySHA256),
                         short(r.dataSHA256)])
        }
        return TextWidth.table(rows, alignments: [.right, .left, .left, .right, .left, .right, .left, .left])
    }

    static func listJSON(_ runs: [RunSummary]) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("runs") { w in
            w.beginArray()
            for r in runs {
                w.element { w in
                    w.beginObject()
                    w.field("id") { $0.raw(String(r.id)) }
                    w.field("created_at", string: HistoryTime.string(r.createdAt))
                    w.field("label", string: r.label)
                    w.field("policy") { w in
                        w.beginObject()
                        w.field("id", string: r.policyID)
                        w.field("year") { $0.number(r.policyYear) }
                        w.field("jurisdiction", string: r.jurisdiction)
                        w.field("sha256", string: r.policySHA256)
                        w.endObject()
                    }
                    w.field("data") { w in
                        w.beginObject()
                        w.field("sha256", string: r.dataSHA256)
                        w.field("units") { $0.number(r.unitCount) }
                        w.endObject()
                    }
                    w.endObject()
                }
            }
            w.endArray()
        }
        w.endObject()
        return w.output + "\n"
    }

    /// The run's header, then its ranking: band labels (the ids of a run saved before labels were stored),
    /// totals with the policy's decimals; with groups a leading group column (ranks are within the group),
    /// with vetoes a vetoes column and a closing line naming each vetoed unit, the veto and its note.
    static func showTable(_ run: RunRecord, _ l: Labels) -> String {
        let id = run.id.map(String.init) ?? "—"
        var out = "\(l.run) \(id) · \(HistoryTime.string(run.createdAt, milliseconds: false))"
        if let label = run.label { out += " · \(TerminalText.escaped(label))" }
        out += "\n\(TerminalText.escaped(run.policyTitle)) \(run.policyYear)（\(TerminalText.escaped(run.policyID))）"
        if let j = run.jurisdiction { out += " · \(j)" }
        out += " · \(run.units.count) \(l.units)\n"
        out += "policy sha256 \(run.policySHA256)\ndata sha256   \(run.dataSHA256)\n"
        out += "scored by     \(run.kaoheVersion ?? l.notRecorded)\n\n"
        let grouped = run.groups != nil, vetoes = !run.vetoes.isEmpty
        var header = [l.rank, l.unit, l.name, l.total, l.bands]
        var alignments: [TextWidth.Alignment] = [.right, .left, .left, .right, .left]
        if grouped {
            header.insert(l.group, at: 0)
            alignments.insert(.left, at: 0)
        }
        if vetoes {
            header.append(l.vetoes)
            alignments.append(.left)
        }
        var rows = [header]
        for u in run.units {
            var row = [String(u.rank), u.unit, u.name, run.totalText(u.total), u.bands.map(run.bandLabel).joined(separator: l.listSeparator)]
            if grouped { row.insert(u.group.map(run.groupLabel) ?? "", at: 0) }
            if vetoes { row.append(u.vetoes.map(\.veto.title).joined(separator: l.listSeparator)) }
            rows.append(row)
        }
        out += TextWidth.table(rows, alignments: alignments)
        if vetoes {
            let hits = run.units.flatMap { u in
                u.vetoes.map { h in TerminalText.escaped("\(u.unit) \(u.name) \(h.veto.name)" + (h.note.isEmpty ? "" : l.paren(h.note))) }
            }
            out += "\(l.vetoes)\(l.colon)\(hits.isEmpty ? l.none : hits.joined(separator: l.listSeparator))\n"
        }
        return out
    }

    static func showJSON(_ run: RunRecord) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("run") { w in
            w.beginObject()
            w.field("id") { $0.raw(run.id.map(String.init) ?? "null") }
            w.field("created_at", string: HistoryTime.string(run.createdAt))
            w.field("label", string: run.label)
            w.field("kaohe_version", string: run.kaoheVersion)
            w.endObject()
        }
        w.field("policy") { w in
            w.beginObject()
            w.field("id", string: run.policyID)
            w.field("title", string: run.policyTitle)
            w.field("year") { $0.number(run.policyYear) }
            w.field("jurisdiction", string: run.jurisdiction)
            w.field("sha256", string: run.policySHA256)
            writePolicyParts(run, to: &w)
            w.endObject()
        }
        w.field("data") { w in
            w.beginObject()
            w.field("sha256", string: run.dataSHA256)
            w.field("units") { $0.number(run.units.count) }
            w.endObject()
        }
        w.field("results") { w in
            w.beginArray()
            for u in run.units { w.element { writeUnit(u, to: &$0, group: run.groups != nil, vetoes: !run.vetoes.isEmpty) } }
            w.endArray()
        }
        w.endObject()
        return w.output + "\n"
    }

    /// What the run stored of its policy beyond its name (each only when there is one): the groups (`by`
    /// and each group's id and label in order), the bands (id, label, `from`, meaning), the vetoes and the
    /// decimals of totals.
    static func writePolicyParts(_ run: RunRecord, to w: inout JSONWriter) {
        if let groups = run.groups { w.field("groups") { groups.write(to: &$0) } }
        if !run.bands.isEmpty {
            w.field("bands") { w in
                w.beginArray()
                for b in run.bands {
                    w.element { w in
                        w.beginObject()
                        w.field("id", string: b.id)
                        w.field("label", string: b.label)
                        w.field("from", string: b.from?.rawValue)
                        w.field("meaning", string: b.meaning)
                        w.endObject()
                    }
                }
                w.endArray()
            }
        }
        if !run.vetoes.isEmpty {
            w.field("vetoes") { w in
                w.beginArray()
                for v in run.vetoes { w.element { writeVeto(v, note: nil, to: &$0) } }
                w.endArray()
            }
        }
        if let d = run.totalDecimals { w.field("total_decimals") { $0.number(d) } }
    }

    static func writeVeto(_ v: VetoRecord, note: String?, to w: inout JSONWriter) {
        w.beginObject()
        w.field("id", string: v.id)
        w.field("citation", string: v.citation)
        w.field("title", string: v.title)
        if let note { w.field("note", string: note) }
        w.endObject()
    }

    /// A unit as `score --format json` writes it: unit, name, total, rank, bands, items; with `group` its
    /// group, with `vetoes` the vetoes that bar it.
    static func writeUnit(_ u: UnitRecord, to w: inout JSONWriter, group: Bool = false, vetoes: Bool = false) {
        w.beginObject()
        w.field("unit", string: u.unit)
        w.field("name", string: u.name)
        w.field("total") { $0.number(u.total) }
        w.field("rank") { $0.number(u.rank) }
        if group { w.field("group", string: u.group) }
        w.field("bands") { w in
            w.beginArray()
            for b in u.bands { w.element { $0.string(b) } }
            w.endArray()
        }
        if vetoes {
            w.field("vetoes") { w in
                w.beginArray()
                for h in u.vetoes { w.element { writeVeto(h.veto, note: h.note, to: &$0) } }
                w.endArray()
            }
        }
        w.field("items") { w in
            w.beginArray()
            for item in u.items {
                w.element { w in
                    w.beginObject()
                    w.field("rule", string: item.rule)
                    w.field("citation", string: item.citation)
                    w.field("points") { $0.number(item.points) }
                    w.field("note", string: item.note)
                    w.field("title", string: item.title)
                    if let cap = item.cap {
                        w.field("raw") { $0.number(item.raw) }
                        w.field("cap", string: cap)
                    }
                    w.endObject()
                }
            }
            w.endArray()
        }
        w.endObject()
    }
}
