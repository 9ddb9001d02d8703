public import ArgumentParser
import Kaohe

extension DiffReport.Format: ExpressibleByArgument {}

/// `kaohe diff OLD NEW`: what changed between two policy files.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two policy files: metadata, params, rules, bands.",
        discussion: "With --format html and --data, both policies score the data and each changed rule lists the units it moved.")

    @Argument(help: ArgumentHelp("The older policy file.", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("The newer policy file.", valueName: "new"))
    var new: String

    @Option(name: .long, help: "Output format: table, markdown, json or html.")
    var format: DiffReport.Format = .table

    @Option(name: .long, help: ArgumentHelp("Data to score under both policies (html only): shows the units each change moved.", valueName: "path"))
    var data: String?

    @Option(name: .long, help: "CSV encoding of --data: auto, utf-8 or gb18030.")
    var encoding: String = "auto"

    @OptionGroup var report: ReportOptions
    @OptionGroup var limits: LimitOptions

    func validate() throws {
        if data != nil && format != .html {
            throw ValidationError("--data goes with --format html (the other formats show the policy changes only; `kaohe compare` shows the units)")
        }
    }

    func run() throws {
        try OutputGuard.check(report.output, [.init(path: old, what: "the old policy"), .init(path: new, what: "the new policy"),
                                              .init(path: data, what: "the data")])
        let a: Policy, b: Policy
        var comparison: Comparison?
        if let data {
            let pair = try Assessment.compare(old: old, new: new, data: data,
                                              options: try limits.assessment(encoding: try encodingOption(encoding)))
            printNotices(pair.old)
            printNotices(pair.new)
            (a, b) = (pair.old.policy, pair.new.policy)
            comparison = pair.comparison
        } else {
            a = try Assessment.policy(old, limits: try limits.limits())
            b = try Assessment.policy(new, limits: try limits.limits())
        }
        try emit(DiffReport.render(PolicyDiff(old: a, new: b), format: format, language: try report.language(), comparison: comparison),
                 to: report.output)
    }
}

extension DiffCommand: DiagnosticFormat {
    var diagnosticsAsJSON: Bool { format == .json }
}
