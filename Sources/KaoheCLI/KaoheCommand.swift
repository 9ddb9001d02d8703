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
        subcommands: [ScoreCommand.self, ExplainCommand.self, RulesCommand.self, DiffCommand.self, CompareCommand.self, NewCommand.self, TestCommand.self, CheckCommand.self, HistoryCommand.self, FormCommand.self, ServeCommand.self])

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
        switch failure {
        case .exit(let code):
            return code
        case .helpOrVersion:
            Console.current.write(fullMessage(for: error) + "\n")
            return 0
        case .usage where !(error is UsageError):
            // ArgumentParser's own message, with the usage line
            Console.current.error(fullMessage(for: error))
            return 2
        case .usage, .failure:
            break
        }
        let diagnostics = DiagnosticRenderer.diagnostics(for: error)
        if json {
            Console.current.error(DiagnosticRenderer.json(diagnostics, omitted: (error as? DataError)?.omitted ?? 0))
        } else {
            let summary = (error as? DataError)?.summary ?? []
            Console.current.error(([DiagnosticRenderer.text(diagnostics)] + summary).joined(separator: "\n"))
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
