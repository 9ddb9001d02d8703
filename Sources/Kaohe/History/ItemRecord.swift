import Foundation

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
