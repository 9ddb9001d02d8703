public import Foundation

/// One scoring run as the history stores it: the policy (with its source text, groups, bands and vetoes), the
/// data's hash, when it ran, and every unit's total, rank, group, bands, vetoes and line items, units in rank
/// order (by group, then rank).
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
    /// Units in rank order: by group (in the policy's order), then rank.
    public var units: [UnitRecord]
    /// The kaohe that scored the run ("kaohe 0.3.0 (Lua 5.4.4)"); nil for runs saved before it was kept.
    public var kaoheVersion: String?
    /// The policy's groups (nil without groups, and for runs saved before they were stored).
    public var groups: Policy.Groups?
    /// The policy's bands in its order (empty for runs saved before they were stored: `bandList` then falls
    /// back on the ids the units hold).
    public var bands: [BandRecord]
    /// The policy's one-vote vetoes in its order.
    public var vetoes: [VetoRecord]
    /// The policy's `total.decimals`: totals are printed with exactly this many places (nil: as they are).
    public var totalDecimals: Int?

    /// A run from its parts; `createdAt` is rounded to the millisecond so that it reads back equal.
    public init(id: Int64? = nil, policyID: String, policyTitle: String, policyYear: Int, jurisdiction: String?,
                policySHA256: String, policySource: String, dataSHA256: String, label: String?, createdAt: Date,
                units: [UnitRecord], kaoheVersion: String? = nil, groups: Policy.Groups? = nil,
                bands: [BandRecord] = [], vetoes: [VetoRecord] = [], totalDecimals: Int? = nil) {
        self.id = id
        self.groups = groups
        self.bands = bands
        self.vetoes = vetoes
        self.totalDecimals = totalDecimals
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
                       bands: sheet.ranking.bands[u], items: sheet.items(of: u).map(ItemRecord.init(_:)),
                       group: sheet.group(of: u), vetoes: sheet.vetoes(of: u).map(VetoRecord.Hit.init(_:)),
                       exactTotal: sheet.exactTotals[u])
        }
        self.init(policyID: policy.id, policyTitle: policy.title, policyYear: policy.year,
                  jurisdiction: policy.jurisdiction, policySHA256: policy.sha256,
                  policySource: String(decoding: policy.sourceBytes, as: UTF8.self), dataSHA256: data.sha256,
                  label: label, createdAt: createdAt, units: units, kaoheVersion: kaoheVersion, groups: policy.groups,
                  bands: policy.bands.map(BandRecord.init(_:)), vetoes: policy.vetoes.map(VetoRecord.init(_:)),
                  totalDecimals: policy.total?.decimals)
    }

    /// The run's bands: those stored, or for a run saved before bands were stored, the ids its units hold
    /// (in order of first appearance), each labelled with its id and without `from`.
    public var bandList: [BandRecord] {
        if !bands.isEmpty { return bands }
        var ids: [String] = []
        for u in units { for b in u.bands where !ids.contains(b) { ids.append(b) } }
        return ids.map { BandRecord(id: $0, label: $0, from: nil) }
    }

    /// A band's label (its id when the run did not store it).
    public func bandLabel(_ id: String) -> String { bands.first { $0.id == id }?.label ?? id }

    /// A group's label (its id when the run has no such group).
    public func groupLabel(_ id: String) -> String { groups?.label(of: id) ?? id }

    /// A total as the policy states it: with exactly `totalDecimals` places, or as it is.
    public func totalText(_ p: Points) -> String { totalDecimals.map { p.fixed(decimals: $0) } ?? p.description }

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
