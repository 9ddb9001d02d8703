import ArgumentParser
import Foundation
import Testing
@testable import Kaohe
@testable import KaoheCLI
import LuaRuntime
import KaoheTestSupport

/// Exit codes of the built `kaohe`: 0 ok (and --help, --version), 2 for usage only (arguments that do not parse
/// or validate, an --output the run must not write), 1 for every other failure — data, policy, file, database
/// and internal errors, and any error type kaohe does not name.
@Suite(.serialized) struct ExitCodeTests {
    /// The `kaohe` executable beside the test binary (both are built by `swift build --build-tests`).
    static func executable() throws -> String { try BuildProducts.executable("kaohe") }

    let dir: String

    init() throws {
        _ = FileManager.default.changeCurrentDirectoryPath(Repository.root)
        dir = NSTemporaryDirectory() + "kaohe-exit-" + UUID().uuidString
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/tests", withIntermediateDirectories: true)
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: dir + "/text.sqlite"))
        try Data("return { id = \"x\" }\n".utf8).write(to: URL(fileURLWithPath: dir + "/invalid.lua"))
        try Data("error(\"boom\")\n".utf8).write(to: URL(fileURLWithPath: dir + "/raises.lua"))
        try fm.copyItem(atPath: "Tests/KaoheCLITests/Fixtures/tied-policy.lua", toPath: dir + "/tests/p.lua")
        // a test the harness could not decode before: a message that is a number, an expectation that is a string
        try Data("function test_number_message() expect(false, 42) end\nfunction test_string_points() expect_points(score { unit = { a = 1 } }, \"a\", \"1\") end\n"
            .utf8).write(to: URL(fileURLWithPath: dir + "/tests/p_test.lua"))
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/file"))
        try fm.createSymbolicLink(atPath: dir + "/dangling.sqlite", withDestinationPath: dir + "/nothing.sqlite")
    }

    /// Runs the built CLI (no standard input); returns its status and standard error.
    func kaohe(_ arguments: [String]) throws -> (status: Int32, err: String) {
        let r = try Subprocess.run(try Self.executable(), arguments)
        return (r.status, r.errText)
    }

    static let sample = ["--policy", "policies/ganzhou/2023.lua", "--data", "policies/ganzhou/sample-2023"]
    static let gy = ["--policy", "policies/guangyuan/2014.lua", "--data", "policies/guangyuan/sample-2014"]

    var cases: [(arguments: [String], code: Int32, says: String)] {
        [
            // usage: 2
            (["frobnicate"], 2, "Unexpected argument 'frobnicate'"),
            (["score", "--policy", "policies/ganzhou/2023.lua"], 2, "Missing expected argument '--data <path>'"),
            (["score"] + Self.sample + ["--format", "pdf"], 2, "--format"),
            (["score"] + Self.sample + ["--jobs", "0"], 2, "--jobs must be at least 1"),
            (["score"] + Self.sample + ["--label", "x"], 2, "--label goes with --save"),
            (["score"] + Self.sample + ["--format", "xlsx"], 2, "give --output FILE.xlsx"),
            (["score"] + Self.sample + ["--time-limit", "0"], 2, "--time-limit must be positive"),
            (["score"] + Self.sample + ["--output", "policies/ganzhou/2023.lua"], 2, "is the policy file"),
            (["score"] + Self.sample + ["--output", dir], 2, "is a folder, not a file"),
            (["explain"] + Self.sample, 2, "Missing expected argument '--unit <id>'"),
            (["rules", "--policy", "policies/ganzhou/2023.lua", "--lang", "fr"], 2, "--lang must be zh or en"),
            (["diff", "policies/ganzhou/2023.lua", "policies/ganzhou/2024.lua", "--data", "policies/ganzhou/sample-2024"], 2, "--data goes with --format html"),
            (["compare", "--policy", "policies/ganzhou/2023.lua", "--data", "policies/ganzhou/sample-2024"], 2, "give two policies"),
            (["new", "--from", "policies/ganzhou/2023.lua"], 2, "Missing expected argument '--year <year>'"),
            (["test", "--run", "("], 2, "not a valid regular expression"),
            (["check"], 2, "Missing expected argument '<policy> ...'"),
            (["history", "show", "one"], 2, "The value 'one' is invalid for '<run>'"),
            (["form", "--policy", "policies/guangyuan/2014.lua", "--output", dir + "/forms"], 2, "give --unit ID, or --data"),
            (["form"] + Self.gy + ["--output", dir + "/all.xlsx"], 2, "7 units: give --unit"),
            // data, policy, file, database, internal: 1
            (["score", "--policy", "policies/ganzhou/2023.lua", "--data", "Tests/KaoheCLITests/Fixtures/bad-ganzhou"], 1, "nothing was scored"),
            (["score", "--policy", dir + "/nowhere.lua", "--data", "policies/ganzhou/sample-2023"], 1, "nowhere.lua"),
            (["score", "--policy", dir + "/raises.lua", "--data", "policies/ganzhou/sample-2023"], 1, "boom"),
            (["rules", "--policy", dir + "/invalid.lua"], 1, "invalid.lua"),
            (["explain"] + Self.sample + ["--unit", "GZ"], 1, "no unit 'GZ'"),
            (["diff", "policies/ganzhou/2023.lua", dir + "/nowhere.lua"], 1, "nowhere.lua"),
            (["compare", "1", "2", "--db", dir + "/none.sqlite"], 1, "no run history at"),
            (["new", "--from", "policies/ganzhou/2023.lua", "--year", "2024"], 1, "already exists"),
            (["test", dir + "/missing"], 1, "no such file or folder"),
            (["test", dir + "/tests"], 1, ""),
            (["check", dir + "/invalid.lua"], 1, "error"),
            (["history", "list", "--db", dir + "/none.sqlite"], 1, "no run history at"),
            (["history", "list", "--db", dir + "/text.sqlite"], 1, "is not an SQLite database"),
            (["history", "list", "--db", dir + "/dangling.sqlite"], 1, "is a symbolic link to"),
            (["score"] + Self.sample + ["--save", "--db", dir + "/dangling.sqlite"], 1, "is a symbolic link to"),
            (["form", "--policy", "policies/guangyuan/2014.lua", "--unit", "GY01", "--output", dir + "/file/forms"], 1,
             "cannot create the folder for the forms: Not a directory"),
            (["form", "--policy", "policies/ganzhou/2023.lua", "--unit", "GZ01", "--output", dir + "/forms"], 1, "has no self-check table"),
            (["score"] + Self.sample + ["--output", dir + "/none/ranking.csv"], 1, "cannot write the output file"),
            (["score"] + Self.sample + ["--format", "xlsx", "--output", dir + "/file/results.xlsx"], 1, "cannot write the output file"),
            // ok: 0
            (["--help"], 0, ""),
            (["score", "--help"], 0, ""),
            (["--version"], 0, ""),
        ]
    }

    @Test func everyCommandsFailuresHaveTheirCode() throws {
        _ = try Self.executable()  // a missing build fails here, saying how to make it
        for c in cases {
            let r = try kaohe(c.arguments)
            #expect(r.status == c.code, "kaohe \(c.arguments.joined(separator: " ")) exited \(r.status), not \(c.code): \(r.err)")
            #expect(c.says.isEmpty || r.err.contains(c.says), "kaohe \(c.arguments.joined(separator: " ")): \(r.err)")
        }
        // the harness named what was wrong in the tests it could not read before
        let tests = KaoheCommand.capture(["test", dir + "/tests"])
        #expect(tests.out.contains("expect: the message must be a string, not a number"), "\(tests.out)")
        #expect(tests.out.contains("expect_points: the expected points must be a number, not a string"), "\(tests.out)")
    }

    struct Unnamed: Error {}
    struct Described: Error, CustomStringConvertible { var description: String { "something kaohe does not know" } }

    @Test func errorTypesMapToTheirCodeAndUnknownOnesToOne() throws {
        let decoding = DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "x"))
        let failures: [any Error] = [
            DataError(diagnostics: []), PolicyError(file: "p", code: "x", "p"), UnitLookupError(query: "u", data: "d", sameName: [], close: []), LuaError(kind: .runtime, message: "x"), HistoryError.missing(path: "h"),
            XLSXWriteError(message: "bad sheet"), CLIError("c"), decoding, CocoaError(.fileWriteNoPermission),
            POSIXError(.EACCES), Unnamed(), Described(), NSError(domain: "elsewhere", code: 7),
        ]
        for e in failures { #expect(KaoheCommand.classify(e) == .failure, "\(e)") }
        #expect(KaoheCommand.classify(UsageError("u")) == .usage)
        #expect(KaoheCommand.classify(ValidationError("v")) == .usage)
        #expect(KaoheCommand.classify(ExitCode(1)) == .exit(1))
        #expect(KaoheCommand.classify(CleanExit.helpRequest()) == .helpOrVersion)
        // parse errors come from the parser itself
        do {
            _ = try KaoheCommand.parseAsRoot(["score", "--nope"])
            Issue.record("parsed")
        } catch {
            #expect(KaoheCommand.classify(error) == .usage)
        }
        // what is written for them
        for (error, says) in [(Unnamed() as any Error, "error: Unnamed()"), (Described(), "error: something kaohe does not know"),
                              (XLSXWriteError(message: "bad sheet"), "error: cannot write the workbook: bad sheet"),
                              (decoding, "error: internal error: DecodingError.dataCorrupted")] {
            let console = Console(capture: true)
            let code = Console.$current.withValue(console) { KaoheCommand.report(error) }
            #expect(code == 1)
            #expect(console.err.hasPrefix(says), "\(console.err)")
        }
    }
}
