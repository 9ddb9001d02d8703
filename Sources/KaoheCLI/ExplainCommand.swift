import ArgumentParser
import Kaohe

extension ExplainReport.Format: ExpressibleByArgument {}

/// `kaohe explain`: why a unit got its total.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain one unit's total, rule by rule, with the params and data each rule used.")

    @OptionGroup var policy: PolicyOption
    @OptionGroup var data: DataOptions

    @Option(name: .long, help: ArgumentHelp("The unit id (or its exact name).", valueName: "id"))
    var unit: String

    @Option(name: .long, help: "Output format: text, json, markdown or html (the unit's results notice).")
    var format: ExplainReport.Format = .text


    @OptionGroup var report: ReportOptions

    @OptionGroup var limits: LimitOptions

    func run() throws {
        try OutputGuard.check(report.output, policy.inputs + data.inputs)
        let job = try ScoringJob(policy: policy.policy, data: data, limits: limits, jobs: nil)
        let u = try findUnit(unit, in: job.data, dataPath: data.data)
        let explanation = try Explanation.explain(job.sheet, unit: u, limits: try limits.limits())
        try emit(ExplainReport.render(explanation, sheet: job.sheet, format: format, language: try report.language()), to: report.output)
    }
}
