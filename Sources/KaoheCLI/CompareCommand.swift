import ArgumentParser
import Kaohe

extension CompareReport.Format: ExpressibleByArgument {}

/// `kaohe compare`: the same data under two policies — who moves, and which rules move them.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare results: the same data under two policies (--policy A --policy B --data D).",
        discussion: "Per unit: both totals, the change, rank A→B, band changes, and the change each rule accounts for (they add up to the total change).")

    @Option(name: .long, help: ArgumentHelp("A policy file; give it twice (old, then new).", valueName: "file"))
    var policy: [String] = []

    @Option(name: .long, help: ArgumentHelp("A folder of CSV files or a .json file, scored under both policies.", valueName: "path"))
    var data: String?

    @Option(name: .long, help: "CSV encoding: auto, utf-8 or gb18030.")
    var encoding: String = "auto"

    @Option(name: .long, help: "Output format: table, csv, markdown or json.")
    var format: CompareReport.Format = .table

    @Option(name: .long, help: "Worker threads (default: one per core).")
    var jobs: Int?

    @OptionGroup var report: ReportOptions
    @OptionGroup var limits: LimitOptions

    func validate() throws {
        guard policy.count == 2 else { throw ValidationError("give two policies: --policy OLD --policy NEW") }
        guard data != nil else { throw ValidationError("--data is required to compare two policies") }
    }

    func run() throws {
        let options = DataOptions.make(data: data!, encoding: encoding)
        let a = try ScoringJob(policy: policy[0], data: options, limits: limits, jobs: jobs)
        let b = try ScoringJob(policy: policy[1], data: options, limits: limits, jobs: jobs)
        let comparison = Comparison(a: Comparison.Side(a.sheet, label: a.policy.id), b: Comparison.Side(b.sheet, label: b.policy.id))
        let language = try report.language() ?? b.policy.language
        try emit(CompareReport.render(comparison, format: format, language: language), to: report.output)
    }
}
