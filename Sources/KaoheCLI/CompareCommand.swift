public import ArgumentParser
import Kaohe

extension CompareReport.Format: ExpressibleByArgument {}

/// `kaohe compare`: the same data under two policies — who moves, and which rules move them.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare results: the same data under two policies (--policy A --policy B --data D), or two saved runs (RUN_A RUN_B).",
        discussion: "Per unit: both totals, the change, rank A→B, band changes, and the change each rule accounts for (they add up to the total change).")

    @Argument(help: ArgumentHelp("Two saved run ids (from `kaohe history list`).", valueName: "run"))
    var runs: [Int64] = []

    @OptionGroup var database: DatabaseOption

    @Option(name: .long, help: ArgumentHelp("A policy file; give it twice (old, then new).", valueName: "file"))
    var policy: [String] = []

    @Option(name: .long, help: ArgumentHelp("A folder of CSV files or a .json file, scored under both policies.", valueName: "path"))
    var data: String?

    @Option(name: .long, help: "CSV encoding: auto, utf-8 or gb18030.")
    var encoding: String = "auto"

    @Option(name: .long, help: "Output format: table, csv, markdown, json or html (charts: ranks A→B, per-rule attribution).")
    var format: CompareReport.Format = .table

    @Option(name: .long, help: "Worker threads (default: one per core).")
    var jobs: Int?

    @OptionGroup var report: ReportOptions
    @OptionGroup var limits: LimitOptions

    func validate() throws {
        if !runs.isEmpty {
            guard runs.count == 2, policy.isEmpty, data == nil else {
                throw ValidationError("give two saved runs (kaohe compare RUN_A RUN_B), or two policies and data")
            }
            return
        }
        guard policy.count == 2 else { throw ValidationError("give two policies: --policy OLD --policy NEW (or two saved runs)") }
        guard data != nil else { throw ValidationError("--data is required to compare two policies") }
    }

    func run() throws {
        try OutputGuard.check(report.output, policy.map { .init(path: $0, what: "a policy") } + [.init(path: data, what: "the data"),
                              .init(path: runs.isEmpty ? nil : database.path, what: "the history database")])
        if runs.count == 2 {
            let store = try RunStore(path: database.path, create: false)
            let comparison = try Assessment.compare(runs: runs[0], runs[1], in: store)
            try emit(CompareReport.render(comparison, format: format, language: try report.language() ?? .zh), to: report.output)
            return
        }
        let pair = try Assessment.compare(old: policy[0], new: policy[1], data: data!,
                                          options: try limits.assessment(jobs: jobs, encoding: try encodingOption(encoding)))
        printNotices(pair.old)
        printNotices(pair.new)
        let language = try report.language() ?? pair.new.policy.language
        try emit(CompareReport.render(pair.comparison, format: format, language: language), to: report.output)
    }
}

extension CompareCommand: DiagnosticFormat {
    var diagnosticsAsJSON: Bool { format == .json }
}
