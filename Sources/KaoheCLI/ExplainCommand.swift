public import ArgumentParser
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
        let sheet = try Assessment.score(policy: policy.policy, data: data.data,
                                         options: try limits.assessment(encoding: try data.textEncoding()))
        printNotices(sheet)
        let explanation = try Assessment.explain(sheet, unit: unit, limits: try limits.limits())
        try emit(ExplainReport.render(explanation, sheet: sheet, format: format, language: try report.language()), to: report.output)
    }
}

extension ExplainCommand: DiagnosticFormat {
    var diagnosticsAsJSON: Bool { format == .json }
}
