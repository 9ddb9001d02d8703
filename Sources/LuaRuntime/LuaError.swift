/// A failure inside the sandbox, with enough context to tell the author what to fix.
public struct LuaError: Error, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// The chunk did not compile.
        case syntax
        /// The script raised an error (including a policy that failed validation).
        case runtime
        /// The memory cap was reached.
        case memoryLimit = "memory limit"
        /// The time budget ran out.
        case timeLimit = "time limit"
        /// The host used the sandbox wrongly.
        case host
    }

    public var kind: Kind
    /// The Lua message, usually starting with `chunk:line:`.
    public var message: String
    /// For limits: the script's chunk name and line when the limit tripped.
    public var source: String?
    public var line: Int?
    /// While scoring: the index of the rule and of the unit being evaluated.
    public var rule: Int?
    public var unit: Int?
    /// For limits: the limit in force (bytes or seconds), for the message.
    public var limit: Double?
    /// For a policy the prelude refused: each problem as a record (`message` holds them all as text).
    public var diagnostics: [LuaDiagnostic]?
    /// The stable code the C core raised the error with ("rule.result", "data.unknown-column"), or nil.
    public var code: String?

    public init(kind: Kind, message: String, source: String? = nil, line: Int? = nil,
                rule: Int? = nil, unit: Int? = nil, limit: Double? = nil, diagnostics: [LuaDiagnostic]? = nil) {
        self.kind = kind
        self.message = message
        self.source = source
        self.line = line
        self.rule = rule
        self.unit = unit
        self.limit = limit
        self.diagnostics = diagnostics
    }

    /// True when a limit (memory or time) tripped.
    public var isLimit: Bool { kind == .memoryLimit || kind == .timeLimit }
}
