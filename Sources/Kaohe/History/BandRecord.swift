import Foundation

/// One of a stored run's bands as the policy declared it: its id, label, where it counts from and what it
/// means. Runs saved before kaohe stored bands (schema v3) keep only the band ids their units hold; their
/// bands read back with the id as label and no `from`.
public struct BandRecord: Sendable, Equatable {
    public var id: String
    public var label: String
    /// The band's `from` ("top", "bottom", "history"); nil for a run saved before it was stored.
    public var from: Policy.Band.Origin?
    public var meaning: String?

    /// A band from its parts.
    public init(id: String, label: String, from: Policy.Band.Origin?, meaning: String? = nil) {
        self.id = id
        self.label = label
        self.from = from
        self.meaning = meaning
    }

    /// The stored form of a policy's band.
    public init(_ band: Policy.Band) {
        self.init(id: band.id, label: band.label, from: band.from, meaning: band.meaning)
    }

    /// The band as reports draw it (its colour follows `from`); the fields a stored run does not keep are empty.
    public var band: Policy.Band {
        Policy.Band(id: id, label: label, from: from, fraction: 0, meaning: meaning)
    }
}
