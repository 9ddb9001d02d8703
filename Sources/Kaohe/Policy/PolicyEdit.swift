/// One change to a policy's values, as the workbench's what-if form sends it: a param of a rule, a
/// policy-level param, or a band's fraction, count or score line, and its new value.
public struct PolicyEdit: Sendable, Hashable, CustomStringConvertible {
    public enum Target: Sendable, Hashable {
        /// The policy's top-level `params`.
        case policy
        /// The `params` of the rule with this id.
        case rule(String)
        /// The band with this id (its `path` is one of `bandFields`).
        case band(String)
    }

    /// The band fields an edit may change: the size of the band and its score lines.
    public static let bandFields: Set<String> = ["fraction", "count", "min_total", "max_total"]

    public var target: Target
    public var path: ParamPath
    public var value: JSONValue

    public init(_ target: Target, _ path: ParamPath, _ value: JSONValue) {
        self.target = target
        self.path = path
        self.value = value
    }

    /// "rule 'study' params.tiers[2].below", "policy params.x", "band 'top20' fraction".
    public var description: String {
        switch target {
        case .policy: return "policy params.\(path)"
        case .rule(let id): return "rule '\(id)' params.\(path)"
        case .band(let id): return "band '\(id)' \(path)"
        }
    }
}

/// An edit that kaohe cannot make exactly, with where and why. `edit` is the one it concerns (nil when the
/// policy as a whole cannot be edited); tests match on `reason`.
public struct PolicyEditError: Error, Sendable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        /// The source cannot be read as Lua tokens, or does not end with `return { … }`.
        case unparsable = "edit.unparsable"
        case unknownRule = "edit.unknown-rule"
        case unknownBand = "edit.unknown-band"
        case unknownParam = "edit.unknown-param"
        /// A band field that is not one of `PolicyEdit.bandFields`.
        case bandField = "edit.band-field"
        /// The value in the source is a variable, an expression or a call, or a table where a value was expected.
        case notLiteral = "edit.not-literal"
        case wrongType = "edit.wrong-type"
        /// null, an array or an object, an infinite number.
        case unsupportedValue = "edit.unsupported-value"
        /// Two edits of the same value.
        case duplicate = "edit.duplicate"
        /// The edited policy does not load, or `check` finds errors in it.
        case invalid = "edit.invalid"
        /// The edited policy differs from the original in more (or other) ways than the edits: kaohe refuses
        /// rather than preview something else than what was asked.
        case unexpectedChange = "edit.unexpected-change"
    }

    public var reason: Reason
    public var edit: PolicyEdit?
    public var diagnostics: [Diagnostic]

    public init(_ reason: Reason, edit: PolicyEdit?, diagnostics: [Diagnostic]) {
        self.reason = reason
        self.edit = edit
        self.diagnostics = diagnostics
    }

    init(_ reason: Reason, edit: PolicyEdit?, file: String, line: Int?, _ message: String, hint: String? = nil) {
        self.init(reason, edit: edit, diagnostics: [Diagnostic(file: file, line: line, code: reason.rawValue, message: message, hint: hint)])
    }

    public var description: String { diagnostics.map(\.compilerStyle).joined(separator: "\n") }
}
