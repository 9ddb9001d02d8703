public import ArgumentParser
import Foundation
import Kaohe
import LuaRuntime

/// The `kaohe` command line.
public struct KaoheCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kaohe",
        abstract: "Score grassroots league organisations against a yearly policy written in Lua.",
        discussion: "Exit codes: 0 ok, 1 any failure (data, policy, file, database, internal), 2 usage error.",
        version: KaoheCommand.version,
        subcommands: [ScoreCommand.self, ExplainCommand.self, RulesCommand.self, DiffCommand.self, CompareCommand.self, NewCommand.self, TestCommand.self, CheckCommand.self, HistoryCommand.self, FormCommand.self])

    /// `kaohe --version`: this release and the Lua it embeds.
    public static let version = "kaohe 0.3.0 (\(LuaRuntime.luaRelease))"

    public init() {}

    /// Runs the command line and returns the exit code (0 ok, 1 failure, 2 usage).
    public static func run(arguments: [String]) -> Int32 {
        var json = false
        do {
            var command = try parseAsRoot(arguments)
            json = (command as? any DiagnosticFormat)?.diagnosticsAsJSON ?? false
            try command.run()
            return 0
        } catch {
            return report(error, json: json)
        }
    }

    /// What a failure means for the exit code: 2 for usage (the arguments do not parse or validate, or name
    /// an output the run must not write), 1 for everything else — data, policy, file, database and internal
    /// errors, including error types this list does not know. `--help` and `--version` are 0.
    enum Failure: Equatable {
        case usage, failure, helpOrVersion
        case exit(Int32)
    }

    static func classify(_ error: any Error) -> Failure {
        switch error {
        case let code as ExitCode: return .exit(code.rawValue)
        case is UsageError: return .usage
        case is DataError, is PolicyError, is LuaError, is HistoryError, is XLSXWriteError, is CLIError, is UnitLookupError: return .failure
        case is DecodingError, is EncodingError, is CocoaError, is POSIXError: return .failure
        default:
            // what remains from ArgumentParser: parse and validation errors, and help or version requests
            switch exitCode(for: error) {
            case .success: return .helpOrVersion
            case .validationFailure: return .usage
            default: return .failure
            }
        }
    }

    /// Writes the message of `error` (to standard error; help and version to standard output) and returns the
    /// exit code.
    static func report(_ error: any Error, json: Bool = false) -> Int32 {
        let failure = classify(error)
        switch (failure, error) {
        case (.exit(let code), _):
            return code
        case (.helpOrVersion, _):
            Console.current.write(fullMessage(for: error) + "\n")
            return 0
        case (_, let e as DataError) where json:
            Console.current.error(DiagnosticRenderer.json(e.diagnostics, omitted: e.omitted))
        case (_, let e as PolicyError) where json:
            Console.current.error(DiagnosticRenderer.json(e.diagnostics))
        case (_, let e as DataError):
            var shown = e
            shown.diagnostics = e.diagnostics.map(DiagnosticRenderer.commandLine)
            Console.current.error(shown.description)
        case (_, let e as PolicyError):
            Console.current.error(DiagnosticRenderer.text(e.diagnostics))
        case (_, let e as LuaError):
            Console.current.error("error: " + e.message)
        case (_, let e as CLIError):
            Console.current.error("error: " + e.description)
        case (_, let e as UsageError):
            Console.current.error("error: " + e.description)
        case (_, let e as HistoryError):
            Console.current.error("error: " + e.description + RunHistory.hint(e))
        case (_, let e as UnitLookupError):
            Console.current.error("error: " + e.description + (e.sameName.isEmpty
                ? (e.close.isEmpty ? "; `kaohe score` lists the unit ids" : "")
                : " with --unit"))
        case (_, let e as XLSXWriteError):
            Console.current.error("error: cannot write the workbook: " + e.description)
        case (_, is DecodingError), (_, is EncodingError):
            Console.current.error("error: internal error: \(error)")
        case (_, is CocoaError), (_, is POSIXError):
            Console.current.error("error: \(fileErrorReason(error))")
        case (.usage, _):
            Console.current.error(fullMessage(for: error))
        default:
            Console.current.error("error: " + String(describing: error))
        }
        return failure == .usage ? 2 : 1
    }

    /// Runs with captured output (tests); `terminal`: as if standard output were a terminal.
    public static func capture(_ arguments: [String], terminal: Bool = false) -> (code: Int32, out: String, err: String) {
        let console = Console(capture: true, terminal: terminal)
        let code = Console.$current.withValue(console) { run(arguments: arguments) }
        return (code, console.out, console.err)
    }
}
