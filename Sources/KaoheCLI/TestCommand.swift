public import ArgumentParser
import Foundation
import Kaohe

extension TestReport.Format: ExpressibleByArgument {}

/// `kaohe test [PATH...]`: run the policies' tests.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run policy tests (<policy>_test.lua files with test_* functions).",
        discussion: "PATH is a folder (searched for *_test.lua), a test file, or a policy file (its test file). Default: policies.")

    @Argument(help: ArgumentHelp("Folders, test files or policy files.", valueName: "path"))
    var paths: [String] = []

    @Option(name: .customLong("run"), help: ArgumentHelp("Run only the tests whose names match this regular expression.", valueName: "regex"))
    var runPattern: String?

    @Option(name: .long, help: "Output format: text or json.")
    var format: TestReport.Format = .text

    @Flag(name: .long, help: "List the rules and tier branches no test exercised.")
    var coverage = false

    @Option(name: .long, help: ArgumentHelp("With --coverage: fail below this percentage.", valueName: "percent"))
    var threshold: Double = 0

    @Option(name: .long, help: ArgumentHelp("Write to this file (atomically; a device or FIFO is written in place).", valueName: "file"))
    var output: String?

    @OptionGroup var limits: LimitOptions

    func validate() throws {
        if let run = runPattern, (try? NSRegularExpression(pattern: run)) == nil {
            throw ValidationError("--run: not a valid regular expression: \(run)")
        }
    }

    func run() throws {
        var filter: ((String) -> Bool)?
        if let run = runPattern {
            guard let re = try? NSRegularExpression(pattern: run) else { throw ValidationError("--run: not a valid regular expression: \(run)") }
            filter = { name in re.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil }
        }
        let roots = paths.isEmpty ? ["policies"] : paths
        let files = try PolicyTestRun.discover(roots)
        try OutputGuard.check(output, files.flatMap { test in
            [.init(path: test, what: "a test"), .init(path: PolicyTestRun.policyPath(forTest: test), what: "a policy")]
        } + roots.map { .init(path: $0, what: "the tests'") })
        if files.isEmpty { throw CLIError("no *_test.lua files found in \(roots.joined(separator: ", "))") }
        let runs = try files.map { try PolicyTestRun.run(testFile: $0, only: filter, limits: try limits.limits()) }
        try emit(TestReport.render(runs, format: format, coverage: coverage), to: output)
        let failed = runs.contains { $0.failed > 0 }
        let low = coverage && runs.contains { $0.coverage < threshold }
        if low {
            Console.current.error(String(format: "error: coverage below the threshold of %.1f%%", threshold))
        }
        if failed || low { throw ExitCode(1) }
    }
}

extension TestCommand: DiagnosticFormat {
    var diagnosticsAsJSON: Bool { format == .json }
}
