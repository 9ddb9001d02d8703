public import Foundation

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
    /// The kaohe that scored the run ("kaohe 0.3.0 (Lua 5.4.4)"); nil for runs saved before it was kept.
    public var kaoheVersion: String?

    /// A run from its parts; `createdAt` is rounded to the millisecond so that it reads back equal.
    public init(id: Int64? = nil, policyID: String, policyTitle: String, policyYear: Int, jurisdiction: String?,
                policySHA256: String, policySource: String, dataSHA256: String, label: String?, createdAt: Date,
                units: [UnitRecord], kaoheVersion: String? = nil) {
        self.id = id
        self.kaoheVersion = kaoheVersion
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
    public init(sheet: Scoresheet, label: String?, createdAt: Date, kaoheVersion: String? = nil) {
        let policy = sheet.policy, data = sheet.data
        let units = sheet.order.map { u in
            UnitRecord(unit: data.unitIDs[u], name: data.names[u], total: sheet.totals[u], rank: sheet.ranking.rank[u],
                       bands: sheet.ranking.bands[u], items: sheet.items(of: u).map(ItemRecord.init(_:)))
        }
        self.init(policyID: policy.id, policyTitle: policy.title, policyYear: policy.year,
                  jurisdiction: policy.jurisdiction, policySHA256: policy.sha256,
                  policySource: String(decoding: policy.sourceBytes, as: UTF8.self), dataSHA256: data.sha256,
                  label: label, createdAt: createdAt, units: units, kaoheVersion: kaoheVersion)
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
