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

/// Everything wrong with a dataset; nothing is scored when this is thrown.
public struct DataError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    /// Problems found beyond the reporting limit.
    public var omitted: Int

    public init(diagnostics: [Diagnostic], omitted: Int = 0) {
        self.diagnostics = diagnostics
        self.omitted = omitted
    }

    /// One problem at `file`.
    public init(file: String, line: Int? = nil, column: Int? = nil, code: String, _ message: String) {
        self.init(diagnostics: [Diagnostic(file: file, line: line, column: column, code: code, message: message)])
    }

    public var description: String {
        var lines = diagnostics.map(\.compilerStyle)
        if omitted > 0 { lines.append("… and \(omitted) more problems") }
        let n = diagnostics.count + omitted
        lines.append("\(n) problem\(n == 1 ? "" : "s") in the data; nothing was scored.")
        return lines.joined(separator: "\n")
    }
}

/// A policy that cannot be used: it does not compile, raises an error, fails validation or trips a limit.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    /// One problem in the policy at `file`.
    public init(file: String?, line: Int? = nil, code: String, _ message: String, hint: String? = nil) {
        diagnostics = [Diagnostic(file: file, line: line, code: code, message: message, hint: hint)]
    }

    public var description: String { diagnostics.map(\.compilerStyle).joined(separator: "\n") }

    /// The diagnostics as `file:line: message` lines, without severities.
    public var message: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics up to a limit, counting the rest.
struct DiagnosticSink {
    var limit: Int
    var diagnostics: [Diagnostic] = []
    var omitted = 0

    init(limit: Int = 50) { self.limit = limit }

    var isEmpty: Bool { diagnostics.isEmpty && omitted == 0 }

    mutating func add(_ d: Diagnostic) {
        if diagnostics.count < limit { diagnostics.append(d) } else { omitted += 1 }
    }

    mutating func merge(_ other: DiagnosticSink) {
        for d in other.diagnostics { add(d) }
        omitted += other.omitted
    }

    func check() throws {
        if !isEmpty { throw DataError(diagnostics: diagnostics, omitted: omitted) }
    }
}
