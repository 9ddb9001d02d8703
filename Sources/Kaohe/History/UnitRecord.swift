import Foundation

/// One unit's result in a stored run.
public struct UnitRecord: Sendable, Equatable {
    public var unit: String
    public var name: String
    /// The total as ranked (rounded as the policy's `total` says).
    public var total: Points
    /// The total as the line items add up, before the policy's rounding (nil for runs saved before it was kept).
    public var exactTotal: Points?
    /// The rank within the unit's group (among all units without groups).
    public var rank: Int
    /// Band ids, e.g. ["bottom20"].
    public var bands: [String]
    /// Line items: one per rule in policy order, then section-cap adjustments (empty when not loaded).
    public var items: [ItemRecord]
    /// The unit's group id (nil without groups, and for runs saved before groups were stored).
    public var group: String?
    /// The vetoes that barred the unit from award bands, in the policy's order.
    public var vetoes: [VetoRecord.Hit]

    /// A unit result from its parts.
    public init(unit: String, name: String, total: Points, rank: Int, bands: [String], items: [ItemRecord],
                group: String? = nil, vetoes: [VetoRecord.Hit] = [], exactTotal: Points? = nil) {
        self.exactTotal = exactTotal
        self.unit = unit
        self.name = name
        self.total = total
        self.rank = rank
        self.bands = bands
        self.items = items
        self.group = group
        self.vetoes = vetoes
    }
}
