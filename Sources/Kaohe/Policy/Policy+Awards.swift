import Foundation

/// The ranking and award layer of a policy: bands, groups, vetoes and the total's rounding.
extension Policy {
    public struct Band: Codable, Sendable, Equatable {
        public var id: String
        public var label: String
        /// Where the band counts from: `from = "top" | "bottom" | "history"` in the policy. nil for the bands
        /// of a run stored before the history kept it (schema v3).
        public var from: Origin?
        /// A fraction band: the share of the group's units (0 for count and history bands).
        public var fraction: Double
        public var meaning: String?
        /// For `from = "history"`: the band that must repeat, and over how many consecutive years.
        public var band: String?
        public var years: Int?
        /// A count band: how many places (名额), instead of a fraction.
        public var count: Int?
        /// Counting starts after the places this earlier band (from the same end) takes (其后).
        public var after: String?
        /// A fraction band's fewest places.
        public var atLeast: Int?
        /// How a fraction band's fraction × size becomes places (nil for count and history bands).
        public var round: Rounding?
        /// Score lines: only units whose total is at least `minTotal` and at most `maxTotal` hold the band.
        public var minTotal: Double?
        public var maxTotal: Double?
        /// An award: a vetoed unit cannot hold it, and the next eligible unit takes its place.
        public var award: Bool

        public enum Origin: String, Codable, Sendable {
            case top, bottom, history
        }

        public enum Rounding: String, Codable, Sendable {
            case floor, nearest, ceil
        }

        enum CodingKeys: String, CodingKey {
            case id, label, from, fraction, meaning, band, years, count, after, round, award
            case atLeast = "at_least", minTotal = "min_total", maxTotal = "max_total"
        }

        public init(id: String, label: String, from: Origin?, fraction: Double, meaning: String?,
                    band: String? = nil, years: Int? = nil, count: Int? = nil, after: String? = nil,
                    atLeast: Int? = nil, round: Rounding? = nil, minTotal: Double? = nil, maxTotal: Double? = nil,
                    award: Bool = false) {
            self.id = id
            self.label = label
            self.from = from
            self.fraction = fraction
            self.meaning = meaning
            self.band = band
            self.years = years
            self.count = count
            self.after = after
            self.atLeast = atLeast
            self.round = round
            self.minTotal = minTotal
            self.maxTotal = maxTotal
            self.award = award
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(id: try c.decode(String.self, forKey: .id), label: try c.decode(String.self, forKey: .label),
                      from: try c.decodeIfPresent(Origin.self, forKey: .from),
                      fraction: try c.decodeIfPresent(Double.self, forKey: .fraction) ?? 0,
                      meaning: try c.decodeIfPresent(String.self, forKey: .meaning),
                      band: try c.decodeIfPresent(String.self, forKey: .band), years: try c.decodeIfPresent(Int.self, forKey: .years),
                      count: try c.decodeIfPresent(Int.self, forKey: .count), after: try c.decodeIfPresent(String.self, forKey: .after),
                      atLeast: try c.decodeIfPresent(Int.self, forKey: .atLeast),
                      round: try c.decodeIfPresent(Rounding.self, forKey: .round),
                      minTotal: try c.decodeIfPresent(Double.self, forKey: .minTotal),
                      maxTotal: try c.decodeIfPresent(Double.self, forKey: .maxTotal),
                      award: try c.decodeIfPresent(Bool.self, forKey: .award) ?? false)
        }

        public var isHistory: Bool { from == .history }
    }

    /// `groups`: units ranked and awarded separately, by the value of a units column.
    public struct Groups: Codable, Sendable, Equatable {
        /// The units column.
        public var by: String
        /// The groups' values, in report order.
        public var order: [String]
        /// Each group's label, in `order`'s order.
        public var labels: [String]

        public func label(of group: String) -> String {
            order.firstIndex(of: group).map { labels[$0] } ?? group
        }
    }

    /// A one-vote veto (一票否决): a unit it vetoes keeps its total and rank and holds no award band.
    public struct Veto: Codable, Sendable, Equatable {
        public var id: String
        public var citation: String
        public var title: String
        public var params: JSONValue
        /// Lines of the when function in the policy file.
        public var line: Int?
        public var lastLine: Int?

        enum CodingKeys: String, CodingKey {
            case id, citation, title, params, line
            case lastLine = "last_line"
        }
    }

    /// `total`: the document's rounding of the total ("保留两位小数").
    public struct Total: Codable, Sendable, Equatable {
        public enum Rounding: String, Codable, Sendable {
            /// 四舍五入: halves away from zero.
            case halfUp = "half-up"
            case halfEven = "half-even"
        }
        public var decimals: Int
        public var rounding: Rounding
    }
}

extension Policy.Groups {
    /// `[{"id", "label"}, …]`: the groups in order.
    public func writeOrder(to w: inout JSONWriter) {
        w.beginArray()
        for (id, label) in zip(order, labels) {
            w.element { w in
                w.beginObject()
                w.field("id", string: id)
                w.field("label", string: label)
                w.endObject()
            }
        }
        w.endArray()
    }

    /// `{"by", "order": [{"id", "label"}, …]}`.
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("by", string: by)
        w.field("order") { writeOrder(to: &$0) }
        w.endObject()
    }
}
