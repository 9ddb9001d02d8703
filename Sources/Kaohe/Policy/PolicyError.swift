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
