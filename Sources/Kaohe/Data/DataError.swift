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

    /// The lines that follow the diagnostics: how many more there were, and that nothing was scored.
    public var summary: [String] {
        let n = diagnostics.count + omitted
        return (omitted > 0 ? ["… and \(omitted) more problems"] : []) + ["\(n) problem\(n == 1 ? "" : "s") in the data; nothing was scored."]
    }

    public var description: String { (diagnostics.map(\.compilerStyle) + summary).joined(separator: "\n") }
}
