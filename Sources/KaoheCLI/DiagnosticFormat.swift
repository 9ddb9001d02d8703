/// A command whose `--format json` asks for errors as JSON too.
protocol DiagnosticFormat {
    var diagnosticsAsJSON: Bool { get }
}
