public import ArgumentParser
import Kaohe

extension RulesReport.Format: ExpressibleByArgument {}

/// `kaohe rules`: what a policy scores.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List a policy's rules with their articles, point ranges and params.")

    @OptionGroup var policy: PolicyOption

    @Option(name: .long, help: "Output format: table, json or markdown.")
    var format: RulesReport.Format = .table


    @OptionGroup var report: ReportOptions

    @OptionGroup var limits: LimitOptions

    func run() throws {
        try OutputGuard.check(report.output, policy.inputs)
        let loaded = try PolicyLoader.load(path: policy.policy, limits: try limits.limits())
        try emit(RulesReport.render(loaded, format: format, language: try report.language()), to: report.output)
    }
}

extension RulesCommand: DiagnosticFormat {
    var diagnosticsAsJSON: Bool { format == .json }
}
