/// One problem found in an input, located compiler-style: `file:line:column: severity: message`. Every
/// error and warning kaohe reports about a policy or data is one of these (`PolicyError` and `DataError`
/// carry lists of them); `code` is stable, so that tests and tools match on it rather than on the words.
public struct Diagnostic: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning, note }

    /// The file, or a cell as `file.xlsx[sheet]!C17`; nil for a finding about the run as a whole.
    public var file: String?
    public var line: Int?
    public var column: Int?
    public var severity: Severity
    /// e.g. `data.bad-number`, `policy.duplicate-rule-id`, `sandbox.time-limit`.
    public var code: String
    public var message: String
    /// What to do, when the message does not say it already.
    public var hint: String?

    public init(file: String?, line: Int? = nil, column: Int? = nil, severity: Severity = .error, code: String,
                message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.code = code
        self.message = message
        self.hint = hint
    }

    /// `file:line:column`, as far as it is known ("" when there is no file).
    public var location: String {
        guard var s = file else { return "" }
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s
    }

    /// The message with its hint.
    public var text: String { message + (hint.map { "; " + $0 } ?? "") }

    /// `file:line:column: message; hint`, without the severity.
    public var description: String {
        let l = location
        return (l.isEmpty ? "" : l + ": ") + text
    }

    /// Compiler-style: `file:line:column: error: message; hint`.
    public var compilerStyle: String {
        let l = location
        return (l.isEmpty ? "" : l + ": ") + severity.rawValue + ": " + text
    }
}

extension Diagnostic {
    /// The diagnostic as a JSON object: `{"file", "line", "column", "severity", "code", "message", "hint"}`
    /// (null for what is not known), as every JSON error kaohe prints it.
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.field("file", string: file)
        w.field("line") { w in w.optionalNumber(line.map(Double.init)) }
        w.field("column") { w in w.optionalNumber(column.map(Double.init)) }
        w.field("severity", string: severity.rawValue)
        w.field("code", string: code)
        w.field("message", string: message)
        w.field("hint", string: hint)
        w.endObject()
    }
}
