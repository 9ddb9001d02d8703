import ArgumentParser
import Kaohe
import Foundation

/// `kaohe score`: rank every unit under a policy.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score and rank every unit under a policy.")

    @OptionGroup var policy: PolicyOption
    @OptionGroup var data: DataOptions

    @Option(name: .long, help: "Output format: table, csv, json, markdown, selfcheck (self-check policies), html (the bulletin: ranking, chart, every unit's notice) or xlsx (needs --output).")
    var format: ScoreOutputFormat = .table

    @Option(name: .long, help: "Worker threads (default: one per core). Results do not depend on it.")
    var jobs: Int?

    @OptionGroup var report: ReportOptions

    @Flag(name: .long, help: "Store this run in the history database (and apply multi-year bands such as bottom20-twice).")
    var save = false

    @Option(name: .long, help: ArgumentHelp("A label for the saved run.", valueName: "text"))
    var label: String?

    @Flag(name: .long, help: "Apply multi-year bands from the history database without saving.")
    var history = false

    @OptionGroup var database: DatabaseOption
    @OptionGroup var limits: LimitOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if label != nil && !save { throw ValidationError("--label goes with --save") }
        if format == .xlsx && report.output == nil { throw ValidationError("--format xlsx writes a workbook: give --output FILE.xlsx") }
    }

    func run() throws {
        try OutputGuard.check(report.output, policy.inputs + data.inputs
                              + [.init(path: save || history ? database.path : nil, what: "the history database")])
        let store = save || history ? try RunHistory.open(database.path, save: save) : nil
        // JSON, HTML and the workbook show notes; the other formats let helpers skip building them
        let options = try limits.assessment(jobs: jobs, notes: format == .json || format == .html || format == .xlsx || save,
                                            encoding: try data.textEncoding())
        let sheet = try Assessment.score(policy: policy.policy, data: data.data, options: options,
                                         history: store.map(Assessment.History.init(store:)))
        printNotices(sheet)
        if (save || history) && store == nil && sheet.hasHistoryBands {
            Console.current.error("note: no history database at \(database.path); multi-year bands need earlier runs saved with --save")
        }
        if let store, save { try RunHistory.save(sheet, to: store, label: label) }
        let clock = PhaseClock()
        guard let textFormat = format.reportFormat else {
            // validate() makes sure of --output
            try emit(data: try XLSXScoreReport.workbook(sheet, language: try report.language()).data(), to: report.output ?? "")
            return
        }
        if textFormat == .json, let output = report.output {
            // the bytes as written, without a String of the whole document between
            let bytes = ScoreReport.jsonBytes(sheet)
            clock.lap("render")
            try emit(data: Data(bytes), to: output)
            return
        }
        let text = ScoreReport.render(sheet, format: textFormat, language: try report.language())
        clock.lap("render")
        try emit(text, to: report.output)
    }
}

extension ScoreCommand: DiagnosticFormat {
    var diagnosticsAsJSON: Bool { format == .json }
}
