/// One problem found in an input, located compiler-style: `file:line:column: message`.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + message
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

    public var description: String {
        var lines = diagnostics.map { "\($0.file)\($0.line.map { ":\($0)" } ?? "")\($0.column.map { ":\($0)" } ?? ""): error: \($0.message)" }
        if omitted > 0 { lines.append("… and \(omitted) more problems") }
        let n = diagnostics.count + omitted
        lines.append("\(n) problem\(n == 1 ? "" : "s") in the data; nothing was scored.")
        return lines.joined(separator: "\n")
    }
}

/// A policy that cannot be used: it does not compile, raises an error, fails validation or trips a limit.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
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
