import Foundation

/// One scoring run as the history stores it: the policy (with its source text), the data's hash, when it ran,
/// and every unit's total, rank, bands and line items, units in rank order.
public struct RunRecord: Sendable, Equatable {
    /// The database id, or nil before the run is saved.
    public var id: Int64?
    public var policyID: String
    public var policyTitle: String
    public var policyYear: Int
    public var jurisdiction: String?
    public var policySHA256: String
    /// The policy's Lua source text.
    public var policySource: String
    public var dataSHA256: String
    public var label: String?
    /// When the run was made (kept to the millisecond, as stored).
    public var createdAt: Date
    /// Units in rank order.
    public var units: [UnitRecord]

    /// A run from its parts; `createdAt` is rounded to the millisecond so that it reads back equal.
    public init(id: Int64? = nil, policyID: String, policyTitle: String, policyYear: Int, jurisdiction: String?,
                policySHA256: String, policySource: String, dataSHA256: String, label: String?, createdAt: Date,
                units: [UnitRecord]) {
        self.id = id
        self.policyID = policyID
        self.policyTitle = policyTitle
        self.policyYear = policyYear
        self.jurisdiction = jurisdiction
        self.policySHA256 = policySHA256
        self.policySource = policySource
        self.dataSHA256 = dataSHA256
        self.label = label
        self.createdAt = HistoryTime.roundedToMilliseconds(createdAt)
        self.units = units
    }

    /// The run of a scoresheet, units in rank order with their line items.
    public init(sheet: Scoresheet, label: String?, createdAt: Date) {
        let policy = sheet.policy, data = sheet.data
        let units = sheet.order.map { u in
            UnitRecord(unit: data.unitIDs[u], name: data.names[u], total: sheet.totals[u], rank: sheet.ranking.rank[u],
                       bands: sheet.ranking.bands[u], items: sheet.items(of: u).map(ItemRecord.init(_:)))
        }
        self.init(policyID: policy.id, policyTitle: policy.title, policyYear: policy.year,
                  jurisdiction: policy.jurisdiction, policySHA256: policy.sha256,
                  policySource: String(decoding: policy.sourceBytes, as: UTF8.self), dataSHA256: data.sha256,
                  label: label, createdAt: createdAt, units: units)
    }

    /// The ids of the units that have band `band`.
    public func unitIDs(inBand band: String) -> Set<String> {
        Set(units.lazy.filter { $0.bands.contains(band) }.map(\.unit))
    }

    /// The list entry of this run.
    public var summary: RunSummary {
        RunSummary(id: id ?? 0, policyID: policyID, policyYear: policyYear, jurisdiction: jurisdiction,
                   policySHA256: policySHA256, dataSHA256: dataSHA256, label: label, createdAt: createdAt,
                   unitCount: units.count)
    }
}

/// One unit's result in a stored run.
public struct UnitRecord: Sendable, Equatable {
    public var unit: String
    public var name: String
    public var total: Points
    public var rank: Int
    /// Band ids, e.g. ["bottom20"].
    public var bands: [String]
    /// Line items: one per rule in policy order, then section-cap adjustments (empty when not loaded).
    public var items: [ItemRecord]

    /// A unit result from its parts.
    public init(unit: String, name: String, total: Points, rank: Int, bands: [String], items: [ItemRecord]) {
        self.unit = unit
        self.name = name
        self.total = total
        self.rank = rank
        self.bands = bands
        self.items = items
    }
}

/// One line item of a unit in a stored run.
public struct ItemRecord: Sendable, Equatable {
    public var rule: String
    public var citation: String
    public var title: String
    /// Points after caps.
    public var points: Points
    /// Points as the rule returned them.
    public var raw: Points
    public var note: String
    /// The cap that changed the points, e.g. "max 20", or nil.
    public var cap: String?

    /// A line item from its parts.
    public init(rule: String, citation: String, title: String, points: Points, raw: Points, note: String, cap: String?) {
        self.rule = rule
        self.citation = citation
        self.title = title
        self.points = points
        self.raw = raw
        self.note = note
        self.cap = cap
    }

    /// The stored form of a scoresheet's line item.
    public init(_ item: Scoresheet.LineItem) {
        self.init(rule: item.rule, citation: item.citation, title: item.title, points: item.points, raw: item.raw,
                  note: item.note, cap: item.cap)
    }
}

/// A run as `history list` shows it: no units, just their count.
public struct RunSummary: Sendable, Equatable {
    public var id: Int64
    public var policyID: String
    public var policyYear: Int
    public var jurisdiction: String?
    public var policySHA256: String
    public var dataSHA256: String
    public var label: String?
    public var createdAt: Date
    public var unitCount: Int

    /// A summary from its parts.
    public init(id: Int64, policyID: String, policyYear: Int, jurisdiction: String?, policySHA256: String,
                dataSHA256: String, label: String?, createdAt: Date, unitCount: Int) {
        self.id = id
        self.policyID = policyID
        self.policyYear = policyYear
        self.jurisdiction = jurisdiction
        self.policySHA256 = policySHA256
        self.dataSHA256 = dataSHA256
        self.label = label
        self.createdAt = createdAt
        self.unitCount = unitCount
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
