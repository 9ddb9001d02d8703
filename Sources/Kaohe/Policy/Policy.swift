import Foundation

/// A loaded policy: its metadata, declared inputs, params and rules, as the sandbox described them, plus
/// where it came from. The rules' score functions stay in the sandbox.
public struct Policy: Sendable {
    public struct Source: Codable, Sendable, Equatable {
        public var title: String?
        public var issued: String?
        public var file: String?
        public var url: String?
    }

    public enum ColumnType: String, Codable, Sendable {
        /// `percent`: numbers in percent (95 for 95%), read from `95%`, `95` or a cell formatted as a percentage.
        case text, integer, number, percent, flag, `enum`
    }

    public struct Column: Codable, Sendable, Equatable {
        public var name: String
        public var type: ColumnType
        public var optional: Bool
        public var values: [String]?

        /// The spec as written in a policy: "rate: number", "level: enum(a, b)?".
        public var spec: String {
            let t = type == .enum ? "enum(" + (values ?? []).joined(separator: ", ") + ")" : type.rawValue
            return "\(name): \(t)\(optional ? "?" : "")"
        }
    }

    public struct Input: Codable, Sendable, Equatable {
        public var name: String
        public var columns: [Column]
        /// The column that holds points (a self-check policy's score column): its values must lie within
        /// ±`Points.limit`. Set by the loader from `selfcheck`, not written in a policy.
        public var pointsColumn: String?
        /// `one_row_per_unit = true`: each unit has exactly one row; a missing or second row is a data error.
        public var oneRowPerUnit: Bool = false

        enum CodingKeys: String, CodingKey {
            case name, columns, pointsColumn
            case oneRowPerUnit = "one_row_per_unit"
        }

        public init(name: String, columns: [Column], pointsColumn: String? = nil, oneRowPerUnit: Bool = false) {
            self.name = name
            self.columns = columns
            self.pointsColumn = pointsColumn
            self.oneRowPerUnit = oneRowPerUnit
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            columns = try c.decode([Column].self, forKey: .columns)
            pointsColumn = try c.decodeIfPresent(String.self, forKey: .pointsColumn)
            oneRowPerUnit = try c.decodeIfPresent(Bool.self, forKey: .oneRowPerUnit) ?? false
        }

        public func column(_ name: String) -> Column? { columns.first { $0.name == name } }
    }

    public struct Section: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        public var citation: String?
        public var min: Double?
        public var max: Double?
    }

    public struct Rule: Codable, Sendable, Equatable {
        public var id: String
        public var citation: String
        public var title: String
        public var section: String?
        /// Caps: the rule's points are clamped into [min, max].
        public var min: Double?
        public var max: Double?
        /// The possible point range the author documents, when there is no cap.
        public var range: [Double]?
        /// Lines of the score function in the policy file.
        public var line: Int?
        public var lastLine: Int?
        public var params: JSONValue
        public var index: Int

        enum CodingKeys: String, CodingKey {
            case id, citation, title, section, min, max, range, line, params, index
            case lastLine = "last_line"
        }
    }

    /// Where a self-check policy keeps each unit's own scores: the table and its columns. Rule ids are the
    /// indicator values.
    public struct SelfCheckSpec: Codable, Sendable, Equatable {
        public var table: String
        public var indicator: String?
        public var score: String?
        public var completed: String?
        public var reason: String?
    }

    /// The policy this one was derived from (`kaohe new`).
    public struct Parent: Codable, Sendable, Equatable {
        public var id: String
        public var sha256: String?
        public var file: String?
    }

    public enum Ranking: String, Codable, Sendable {
        case competition, dense
    }

    struct Description: Codable {
        var id: String
        var title: String
        var year: Int
        var jurisdiction: String?
        var language: Language
        var source: Source?
        var base: Double
        var ranking: Ranking
        var bands: [Band]
        var inputs: [Input]
        var params: JSONValue
        var sections: [Section]
        var rules: [Rule]
        var parent: Parent?
        var selfcheck: SelfCheckSpec?
        var tie_break: [TieKey]
        var groups: Groups?
        var vetoes: [Veto]
        var total: Total?
    }

    /// `tie_break`: a rule or section whose points order units with equal totals.
    public struct TieKey: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable { case rule, section }
        public var id: String
        public var kind: Kind
    }

    public var id: String
    public var title: String
    public var year: Int
    public var jurisdiction: String?
    /// The language of reports (`language = "zh"` or `"en"`; the prelude refuses anything else).
    public var language: Language
    public var source: Source?
    public var base: Points
    public var ranking: Ranking
    public var bands: [Band]
    public var inputs: [Input]
    public var params: JSONValue
    public var sections: [Section]
    public var rules: [Rule]
    public var parent: Parent?
    public var selfcheck: SelfCheckSpec?
    /// Rules or sections compared in turn when totals are equal (`tie_break`); empty: equal totals tie.
    public var tieBreak: [TieKey]
    /// Units ranked and awarded separately (nil: one group of all units).
    public var groups: Groups?
    /// One-vote vetoes, evaluated per unit after the rules.
    public var vetoes: [Veto]
    /// The document's rounding of the total (nil: totals as the rules add up, to six decimals).
    public var total: Total?

    /// The file as given on the command line, and its contents.
    public var path: String
    public var sourceBytes: [UInt8]
    public var sha256: String

    init(description d: Description, path: String, sourceBytes: [UInt8], sha256: String) {
        id = d.id
        title = d.title
        year = d.year
        jurisdiction = d.jurisdiction
        language = d.language
        source = d.source
        base = Points(d.base)
        ranking = d.ranking
        bands = d.bands
        inputs = d.inputs
        params = d.params
        sections = d.sections
        rules = d.rules
        parent = d.parent
        selfcheck = d.selfcheck
        tieBreak = d.tie_break
        groups = d.groups
        vetoes = d.vetoes
        total = d.total
        self.path = path
        self.sourceBytes = sourceBytes
        self.sha256 = sha256
    }

    public func input(_ name: String) -> Input? { inputs.first { $0.name == name } }
    public func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }

    /// The source lines of a rule's score function.
    public func scoreSource(of rule: Rule) -> [String] { sourceLines(rule.line, rule.lastLine) }

    /// Lines `first` through `last` of the policy file (a function's, from its line numbers).
    public func sourceLines(_ first: Int?, _ last: Int?) -> [String] {
        guard let first, let last, first >= 1, last >= first else { return [] }
        let lines = String(decoding: sourceBytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard last <= lines.count else { return [] }
        return lines[(first - 1)..<last].map(String.init)
    }
    public func section(_ id: String) -> Section? { sections.first { $0.id == id } }

    /// The rule's possible point range: its caps where declared, else the documented range.
    public func pointRange(of rule: Rule) -> (min: Double?, max: Double?) {
        let lo = rule.min ?? rule.range?.first
        let hi = rule.max ?? (rule.range.map { $0.count > 1 ? $0[1] : $0[0] })
        return (lo, hi)
    }
}

extension Policy {
    /// `{"id", "title", "year", "sha256", "base", "ranking"}`: the policy as results name it.
    public func writeSummary(to w: inout JSONWriter) {
        w.beginObject()
        w.field("id", string: id)
        w.field("title", string: title)
        w.field("year") { $0.number(year) }
        w.field("sha256", string: sha256)
        w.field("base") { $0.number(base) }
        w.field("ranking", string: ranking.rawValue)
        w.endObject()
    }
}
