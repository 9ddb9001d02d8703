public import Foundation

/// Renders the run history: `history list` (one line per run) and `history show RUN` (a run's header and
/// ranking), as an aligned table or JSON. Times are UTC in ISO 8601, so output never depends on the machine.
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

    static func showTable(_ run: RunRecord, _ l: Labels) -> String {
        let id = run.id.map(String.init) ?? "—"
        var out = "\(l.run) \(id) · \(HistoryTime.string(run.createdAt, milliseconds: false))"
        if let label = run.label { out += " · \(TerminalText.escaped(label))" }
        out += "\n\(TerminalText.escaped(run.policyTitle)) \(run.policyYear)（\(TerminalText.escaped(run.policyID))）"
        if let j = run.jurisdiction { out += " · \(j)" }
        out += " · \(run.units.count) \(l.units)\n"
        out += "policy sha256 \(run.policySHA256)\ndata sha256   \(run.dataSHA256)\n"
        out += "scored by     \(run.kaoheVersion ?? l.notRecorded)\n\n"
        var rows = [[l.rank, l.unit, l.name, l.total, l.bands]]
        for u in run.units {
            rows.append([String(u.rank), u.unit, u.name, u.total.description, u.bands.joined(separator: l.listSeparator)])
        }
        return out + TextWidth.table(rows, alignments: [.right, .left, .left, .right, .left])
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
            for u in run.units { w.element { writeUnit(u, to: &$0) } }
            w.endArray()
        }
        w.endObject()
        return w.output + "\n"
    }

    /// A unit as `score --format json` writes it: unit, name, total, rank, bands, items.
    static func writeUnit(_ u: UnitRecord, to w: inout JSONWriter) {
        w.beginObject()
        w.field("unit", string: u.unit)
        w.field("name", string: u.name)
        w.field("total") { $0.number(u.total) }
        w.field("rank") { $0.number(u.rank) }
        w.field("bands") { w in
            w.beginArray()
            for b in u.bands { w.element { $0.string(b) } }
            w.endArray()
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

/// UTC timestamps in ISO 8601, computed by arithmetic (no calendars, locales or time zones, so output is the
/// same everywhere): "2024-03-01T08:30:00.250Z" as stored, "2024-03-01T08:30:00Z" in tables.
public enum HistoryTime {
    /// The date rounded to the nearest millisecond.
    public static func roundedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }

    static func milliseconds(_ date: Date) -> Int64 {
        let ms = (date.timeIntervalSince1970 * 1000).rounded(.toNearestOrAwayFromZero)
        guard ms.isFinite, abs(ms) < 9e15 else { return 0 }
        return Int64(ms)
    }

    /// "YYYY-MM-DDTHH:MM:SS.sssZ" (or without the milliseconds).
    public static func string(_ date: Date, milliseconds withMillis: Bool = true) -> String {
        let ms = milliseconds(date)
        let (days, msOfDay) = (ms.floorDiv(86_400_000), ms.floorMod(86_400_000))
        let (y, m, d) = civil(fromDays: days)
        let s = msOfDay / 1000
        var out = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T"
        out += pad(s / 3600, 2) + ":" + pad(s / 60 % 60, 2) + ":" + pad(s % 60, 2)
        if withMillis { out += "." + pad(msOfDay % 1000, 3) }
        return out + "Z"
    }

    /// Parses "YYYY-MM-DDTHH:MM:SS.sssZ" exactly as `string` writes it; nil for anything else.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 24, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A,
              b[19] == 0x2E, b[23] == 0x5A else { return nil }
        func num(_ r: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in r {
                guard (0x30...0x39).contains(b[i]) else { return nil }
                v = v * 10 + Int64(b[i] - 0x30)
            }
            return v
        }
        guard let y = num(0..<4), let mo = num(5..<7), let d = num(8..<10), let h = num(11..<13),
              let mi = num(14..<16), let s = num(17..<19), let ms = num(20..<23),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 60 else { return nil }
        let days = self.days(fromCivil: y, mo, d)
        let total = ((days * 24 + h) * 60 + mi) * 60 + s
        return Date(timeIntervalSince1970: Double(total * 1000 + ms) / 1000)
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Howard Hinnant's `civil_from_days`: days since 1970-01-01 → proleptic Gregorian date.
    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = z.floorDiv(146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Howard Hinnant's `days_from_civil`.
    static func days(fromCivil y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = y.floorDiv(400)
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

private extension Int64 {
    func floorDiv(_ d: Int64) -> Int64 { (self >= 0 ? self : self - d + 1) / d }
    func floorMod(_ d: Int64) -> Int64 { self - floorDiv(d) * d }
}
