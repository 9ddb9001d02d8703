import ArgumentParser
import Kaohe

/// `kaohe check POLICY...`: is the policy usable, and what looks wrong in it.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check policy files without data; report errors and warnings compiler-style.")

    @Argument(help: ArgumentHelp("Policy files.", valueName: "policy"))
    var policies: [String]

    @Flag(name: .long, help: "Treat warnings as errors.")
    var strict = false

    @Option(name: .long, help: "Output format: text (compiler-style, on standard error) or json (on standard output).")
    var format: CheckFormat = .text

    @OptionGroup var limits: LimitOptions

    func validate() throws {
        if policies.isEmpty { throw ValidationError("give at least one policy file") }
    }

    func run() throws {
        var errors = 0, warnings = 0
        var all: [Diagnostic] = []
        for path in policies {
            let findings = PolicyCheck.check(path: path, limits: try limits.limits())
            for f in findings {
                var f = f
                if strict && f.severity == Diagnostic.Severity.warning { f.severity = Diagnostic.Severity.error }
                if f.severity == .error { errors += 1 } else { warnings += 1 }
                if format == .text { Console.current.error(DiagnosticRenderer.text([f])) }
                all.append(f)
            }
        }
        if format == .json {
            Console.current.write(DiagnosticRenderer.json(all))
            if errors > 0 { throw ExitCode(1) }
            return
        }
        let summary = "checked \(policies.count) polic\(policies.count == 1 ? "y" : "ies"): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        Console.current.write(summary)
        if errors > 0 { throw ExitCode(1) }
    }
}

extension CheckCommand: DiagnosticFormat {
    var diagnosticsAsJSON: Bool { format == .json }
}
