import Foundation

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
