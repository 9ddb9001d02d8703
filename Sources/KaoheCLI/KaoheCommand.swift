import ArgumentParser
import Foundation
import Kaohe
import LuaRuntime

/// The `kaohe` command line.
public struct KaoheCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kaohe",
        abstract: "Score grassroots league organisations against a yearly policy written in Lua.",
        discussion: "Exit codes: 0 ok, 1 data or policy error, 2 usage error.",
        version: KaoheCommand.version,
        subcommands: [ScoreCommand.self, ExplainCommand.self, RulesCommand.self, DiffCommand.self, CompareCommand.self, NewCommand.self, TestCommand.self, CheckCommand.self, HistoryCommand.self, FormCommand.self])

    /// `kaohe --version`: this release and the Lua it embeds.
    public static let version = "kaohe 0.3.0 (\(LuaRuntime.luaRelease))"

    public init() {}

    /// Runs the command line and returns the exit code (0 ok, 1 data or policy error, 2 usage).
    public static func run(arguments: [String]) -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let error as DataError {
            Console.current.error(error.description)
            return 1
        } catch let error as PolicyError {
            Console.current.error(error.description.contains(": error: ") ? error.description : withErrorTag(error.description))
            return 1
        } catch let error as HistoryError {
            Console.current.error("error: " + error.description)
            return 1
        } catch let error as CLIError {
            Console.current.error("error: " + error.description)
            return 1
        } catch let error as UsageError {
            Console.current.error("error: " + error.description)
            return 2
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Console.current.write(fullMessage(for: error) + "\n")
                return 0
            }
            Console.current.error(fullMessage(for: error))
            return 2
        }
    }

    /// `file:line: message` → `file:line: error: message`.
    static func withErrorTag(_ message: String) -> String {
        message.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let parts = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count == 3, Int(parts[1]) != nil {
                return "\(parts[0]):\(parts[1]): error:\(parts[2])"
            }
            return "error: " + line
        }.joined(separator: "\n")
    }

    /// Runs with captured output (tests).
    public static func capture(_ arguments: [String]) -> (code: Int32, out: String, err: String) {
        let console = Console(capture: true)
        let code = Console.$current.withValue(console) { run(arguments: arguments) }
        return (code, console.out, console.err)
    }
}
