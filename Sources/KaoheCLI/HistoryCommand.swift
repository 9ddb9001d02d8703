public import ArgumentParser
import Kaohe

extension HistoryReport.Format: ExpressibleByArgument {}

/// `kaohe history list|show RUN`: the runs saved with `kaohe score --save`.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List or show runs saved with `kaohe score --save`.",
        subcommands: [List.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List saved runs, newest first.")

        @OptionGroup var database: DatabaseOption

        @Option(name: .long, help: "Output format.")
        var format: HistoryReport.Format = .table

        func run() throws {
            let store = try RunStore(path: database.path, create: false)
            Console.current.report(HistoryReport.list(try store.list(), format: format))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one saved run's ranking.")

        @Argument(help: ArgumentHelp("The run id (from `kaohe history list`).", valueName: "run"))
        var id: Int64

        @OptionGroup var database: DatabaseOption

        @Option(name: .long, help: "Output format.")
        var format: HistoryReport.Format = .table

        func run() throws {
            let store = try RunStore(path: database.path, create: false)
            guard let record = try store.run(id) else { throw HistoryError.noRun(id: id, path: store.path) }
            Console.current.report(HistoryReport.show(record, format: format))
        }
    }
}

extension HistoryCommand.List: DiagnosticFormat {
    var diagnosticsAsJSON: Bool { format == .json }
}

extension HistoryCommand.Show: DiagnosticFormat {
    var diagnosticsAsJSON: Bool { format == .json }
}
