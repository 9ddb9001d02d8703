import Foundation

/// How a band is drawn: its colour follows where it counts from.
enum BandKind: String {
    case top, bottom, history, other

    init(_ band: Policy.Band) {
        switch band.from {
        case .top: self = .top
        case .bottom: self = .bottom
        case .history: self = .history
        case nil:
            // bands of runs saved before kaohe stored each band's `from` (schema v3) carry only their id
            if band.id.contains("twice") || band.id.contains("history") { self = .history }
            else if band.id.hasPrefix("top") { self = .top }
            else if band.id.hasPrefix("bottom") { self = .bottom }
            else { self = .other }
        }
    }

    /// The kind that colours a unit in several bands: a history band outweighs the band it repeats.
    static func strongest(_ kinds: [BandKind]) -> BandKind? {
        for k in [BandKind.history, .bottom, .top, .other] where kinds.contains(k) { return k }
        return nil
    }

    var cssClass: String { "band-" + rawValue }
}
