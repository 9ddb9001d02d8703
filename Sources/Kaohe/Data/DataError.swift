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
