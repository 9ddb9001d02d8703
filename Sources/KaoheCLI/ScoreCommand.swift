import ArgumentParser
import Kaohe

extension ScoreReport.Format: ExpressibleByArgument {}

/// `kaohe score`: rank every unit under a policy.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score and rank every unit under a policy.")

    @OptionGroup var policy: PolicyOption
    @OptionGroup var data: DataOptions

    @Option(name: .long, help: "Output format: table, csv, json or markdown.")
    var format: ScoreReport.Format = .table


    @Option(name: .long, help: "Worker threads (default: one per core). Results do not depend on it.")
    var jobs: Int?

    @OptionGroup var report: ReportOptions

    @OptionGroup var limits: LimitOptions

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() throws {
        // only JSON shows notes; the other formats let helpers skip building them
        let job = try ScoringJob(policy: policy.policy, data: data, limits: limits, jobs: jobs, notes: format == .json)
        let clock = PhaseClock()
        let text = ScoreReport.render(job.sheet, format: format, language: try report.language())
        clock.lap("render")
        try emit(text, to: report.output)
    }
}
