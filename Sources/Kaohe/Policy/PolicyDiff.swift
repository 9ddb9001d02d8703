import Foundation

/// What changed between two policy files, by meaning: metadata, bands, inputs, params (per named value and
/// per table cell), sections and rules (added, removed, or changed in citation, title, caps, params or the
/// score function's code).
public struct PolicyDiff: Sendable {
    public enum Kind: String, Sendable { case added, removed, changed }

    public struct Change: Sendable, Equatable {
        public var kind: Kind
        /// "metadata", "band", "input", "params", "section" or "rule".
        public var area: String
        /// What the change is about: a rule id, band id, table name, … ("" for the policy itself).
        public var subject: String
        /// The field within it: "year", "params.tiers[2].below", "max", "score", … ("" for a whole item).
        public var field: String
        public var old: String?
        public var new: String?
        /// For changed score functions: the changed lines, "- old" / "+ new".
        public var lines: [String] = []
    }

    public let old: Policy
    public let new: Policy
    public private(set) var changes: [Change] = []

    public init(old: Policy, new: Policy) {
        self.old = old
        self.new = new
        compareMetadata()
        compareKeyed("band", old.bands, new.bands, id: \.id, fields: PolicyDiff.bandFields)
        compareInputs()
        compareParams(area: "params", subject: "", prefix: "params", old.params, new.params)
        compareKeyed("section", old.sections, new.sections, id: \.id) { a, b in
            [("title", a.title, b.title), ("citation", a.citation ?? "", b.citation ?? ""),
             ("min", PolicyDiff.bound(a.min), PolicyDiff.bound(b.min)), ("max", PolicyDiff.bound(a.max), PolicyDiff.bound(b.max))]
        }
        compareRules()
        compareVetoes()
    }

    /// Rule ids whose points can differ between the two policies (added, removed or changed).
    public var changedRuleIDs: Set<String> {
        Set(changes.filter { $0.area == "rule" }.map(\.subject))
    }

    /// A band's fields as the diff compares them ("" for absent).
    static func bandFields(_ a: Policy.Band, _ b: Policy.Band) -> [(String, String, String)] {
        func number(_ v: Double?) -> String { v.map { JSONValue.numberText($0) } ?? "" }
        func integer(_ v: Int?) -> String { v.map(String.init) ?? "" }
        var out: [(String, String, String)] = [("label", a.label, b.label), ("from", a.from?.rawValue ?? "", b.from?.rawValue ?? "")]
        out.append(("fraction", JSONValue.numberText(a.fraction), JSONValue.numberText(b.fraction)))
        out.append(("count", integer(a.count), integer(b.count)))
        out.append(("after", a.after ?? "", b.after ?? ""))
        out.append(("at_least", integer(a.atLeast), integer(b.atLeast)))
        out.append(("round", a.round?.rawValue ?? "", b.round?.rawValue ?? ""))
        out.append(("min_total", number(a.minTotal), number(b.minTotal)))
        out.append(("max_total", number(a.maxTotal), number(b.maxTotal)))
        out.append(("award", a.award ? "true" : "", b.award ? "true" : ""))
        out.append(("meaning", a.meaning ?? "", b.meaning ?? ""))
        out.append(("band", a.band ?? "", b.band ?? ""))
        out.append(("years", integer(a.years), integer(b.years)))
        return out
    }

    static func bound(_ v: Double?) -> String { v.map { JSONValue.numberText($0) } ?? "—" }

    private mutating func add(_ kind: Kind, _ area: String, _ subject: String, _ field: String, _ a: String?, _ b: String?) {
        changes.append(Change(kind: kind, area: area, subject: subject, field: field, old: a, new: b))
    }

    private mutating func compareMetadata() {
        let fields: [(String, String, String)] = [
            ("id", old.id, new.id), ("title", old.title, new.title), ("year", String(old.year), String(new.year)),
            ("jurisdiction", old.jurisdiction ?? "", new.jurisdiction ?? ""), ("language", old.language.rawValue, new.language.rawValue),
            ("source.title", old.source?.title ?? "", new.source?.title ?? ""),
            ("source.issued", old.source?.issued ?? "", new.source?.issued ?? ""),
            ("source.file", old.source?.file ?? "", new.source?.file ?? ""),
            ("base", old.base.description, new.base.description), ("ranking", old.ranking.rawValue, new.ranking.rawValue),
            ("parent", old.parent?.id ?? "", new.parent?.id ?? ""),
            ("tie_break", old.tieBreak.map(\.id).joined(separator: ", "), new.tieBreak.map(\.id).joined(separator: ", ")),
            ("groups.by", old.groups?.by ?? "", new.groups?.by ?? ""),
            ("groups.order", old.groups?.order.joined(separator: ", ") ?? "", new.groups?.order.joined(separator: ", ") ?? ""),
            ("groups.labels", old.groups?.labels.joined(separator: ", ") ?? "", new.groups?.labels.joined(separator: ", ") ?? ""),
            ("total.decimals", old.total.map { String($0.decimals) } ?? "", new.total.map { String($0.decimals) } ?? ""),
            ("total.rounding", old.total?.rounding.rawValue ?? "", new.total?.rounding.rawValue ?? ""),
        ]
        for (field, a, b) in fields where a != b {
            add(.changed, "metadata", "", field, a.isEmpty ? nil : a, b.isEmpty ? nil : b)
        }
    }

    private mutating func compareKeyed<T>(_ area: String, _ a: [T], _ b: [T], id: (T) -> String,
                                          fields: (T, T) -> [(String, String, String)]) {
        for x in a where !b.contains(where: { id($0) == id(x) }) { add(.removed, area, id(x), "", id(x), nil) }
        for y in b {
            guard let x = a.first(where: { id($0) == id(y) }) else {
                add(.added, area, id(y), "", nil, id(y))
                continue
            }
            for (field, u, v) in fields(x, y) where u != v { add(.changed, area, id(y), field, u.isEmpty ? nil : u, v.isEmpty ? nil : v) }
        }
    }

    private mutating func compareInputs() {
        compareKeyed("input", old.inputs, new.inputs, id: \.name) { a, b in
            [("one_row_per_unit", a.oneRowPerUnit ? "true" : "", b.oneRowPerUnit ? "true" : "")]
        }
        for b in new.inputs {
            guard let a = old.input(b.name) else { continue }
            for c in a.columns where b.column(c.name) == nil { add(.removed, "input", b.name, c.name, c.spec, nil) }
            for c in b.columns {
                guard let o = a.column(c.name) else {
                    add(.added, "input", b.name, c.name, nil, c.spec)
                    continue
                }
                if o != c { add(.changed, "input", b.name, c.name, o.spec, c.spec) }
            }
        }
    }

    /// Leaf values of a params tree: "tiers[2].below" → "120".
    static func flatten(_ v: JSONValue, _ prefix: String) -> [(String, String)] {
        switch v {
        case .object(let o):
            return o.keys.sorted().flatMap { flatten(o[$0]!, prefix.isEmpty ? $0 : prefix + "." + $0) }
        case .array(let a):
            return a.enumerated().flatMap { flatten($1, "\(prefix)[\($0 + 1)]") }
        default:
            return [(prefix, v.text(bare: false))]
        }
    }

    private mutating func compareParams(area: String, subject: String, prefix: String, _ a: JSONValue, _ b: JSONValue) {
        let x = PolicyDiff.flatten(a, prefix), y = PolicyDiff.flatten(b, prefix)
        let xs = Dictionary(x, uniquingKeysWith: { f, _ in f }), ys = Dictionary(y, uniquingKeysWith: { f, _ in f })
        for (path, v) in x where ys[path] == nil { add(.removed, area, subject, path, v, nil) }
        for (path, v) in y {
            if let u = xs[path] {
                if u != v { add(.changed, area, subject, path, u, v) }
            } else {
                add(.added, area, subject, path, nil, v)
            }
        }
    }

    private mutating func compareRules() {
        for r in old.rules where new.rule(r.id) == nil { add(.removed, "rule", r.id, "", r.title, nil) }
        for r in new.rules {
            guard let o = old.rule(r.id) else {
                add(.added, "rule", r.id, "", nil, r.title)
                continue
            }
            let fields: [(String, String, String)] = [
                ("citation", o.citation, r.citation), ("title", o.title, r.title),
                ("section", o.section ?? "", r.section ?? ""),
                ("min", PolicyDiff.bound(o.min), PolicyDiff.bound(r.min)), ("max", PolicyDiff.bound(o.max), PolicyDiff.bound(r.max)),
            ]
            for (field, u, v) in fields where u != v { add(.changed, "rule", r.id, field, u, v) }
            compareParams(area: "rule", subject: r.id, prefix: "params", o.params, r.params)
            let a = PolicyDiff.normalized(old.scoreSource(of: o)), b = PolicyDiff.normalized(new.scoreSource(of: r))
            if a != b {
                var change = Change(kind: .changed, area: "rule", subject: r.id, field: "score", old: nil, new: nil)
                change.lines = LineDiff.changes(a, b)
                changes.append(change)
            }
        }
    }

    private mutating func compareVetoes() {
        compareKeyed("veto", old.vetoes, new.vetoes, id: \.id) { a, b in
            [("citation", a.citation, b.citation), ("title", a.title, b.title)]
        }
        for v in new.vetoes {
            guard let o = old.vetoes.first(where: { $0.id == v.id }) else { continue }
            compareParams(area: "veto", subject: v.id, prefix: "params", o.params, v.params)
            let a = PolicyDiff.normalized(old.sourceLines(o.line, o.lastLine)), b = PolicyDiff.normalized(new.sourceLines(v.line, v.lastLine))
            if a != b {
                var change = Change(kind: .changed, area: "veto", subject: v.id, field: "when", old: nil, new: nil)
                change.lines = LineDiff.changes(a, b)
                changes.append(change)
            }
        }
    }

    /// Code lines without indentation, trailing spaces, blank lines or whole-line comments.
    static func normalized(_ lines: [String]) -> [String] {
        lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("--") }
    }
}
