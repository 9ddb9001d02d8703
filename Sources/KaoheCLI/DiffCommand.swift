import ArgumentParser
import Kaohe

extension DiffReport.Format: ExpressibleByArgument {}

/// `kaohe diff OLD NEW`: what changed between two policy files.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two policy files: metadata, params, rules, bands.")

    @Argument(help: ArgumentHelp("The older policy file.", valueName: "old"))
    var old: String

    @Argument(help: ArgumentHelp("The newer policy file.", valueName: "new"))
    var new: String

    @Option(name: .long, help: "Output format: table, markdown or json.")
    var format: DiffReport.Format = .table

    @OptionGroup var report: ReportOptions
    @OptionGroup var limits: LimitOptions

    func run() throws {
        let a = try PolicyLoader.load(path: old, limits: try limits.limits())
        let b = try PolicyLoader.load(path: new, limits: try limits.limits())
        try emit(DiffReport.render(PolicyDiff(old: a, new: b), format: format, language: try report.language()), to: report.output)
    }
}
