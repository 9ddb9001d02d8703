import Foundation
import Testing
import KaoheCLI

/// `--output` never replaces what a run reads: the policy, data files, a file in the data or tests folder,
/// the history database, or a county's filled-in form. Each case runs on copies in a temporary folder and
/// checks the refused file is byte for byte what it was.
@Suite(.serialized) struct OutputGuardTests {
    let dir: String

    init() throws {
        _ = FileManager.default.changeCurrentDirectoryPath(GoldenTests.root)
        dir = NSTemporaryDirectory() + "kaohe-guard-" + UUID().uuidString
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (from, to) in [("policies/ganzhou/2023.lua", "2023.lua"), ("policies/ganzhou/2023_test.lua", "2023_test.lua"),
                           ("policies/ganzhou/2024.lua", "2024.lua"), ("policies/ganzhou/sample-2023", "data"),
                           ("policies/guangyuan/2014.lua", "gy.lua"), ("policies/guangyuan/sample-2014", "gy-data")] {
            try fm.copyItem(atPath: from, toPath: dir + "/" + to)
        }
        try fm.createSymbolicLink(atPath: dir + "/link.lua", withDestinationPath: dir + "/2023.lua")
    }

    func path(_ p: String) -> String { dir + "/" + p }

    /// Runs `arguments`, expects a usage error naming the output, and `protected` unchanged.
    func expectRefused(_ arguments: [String], protecting protected: String, saying message: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = FileManager.default.contents(atPath: protected)
        let result = KaoheCommand.capture(arguments)
        #expect(result.code == 2, "\(result.err)", sourceLocation: sourceLocation)
        #expect(result.err.contains(message), "\(result.err)", sourceLocation: sourceLocation)
        #expect(result.out.isEmpty, sourceLocation: sourceLocation)
        #expect(FileManager.default.contents(atPath: protected) == before, "\(protected) changed", sourceLocation: sourceLocation)
    }

    var score: [String] { ["score", "--policy", path("2023.lua"), "--data", path("data")] }

    @Test func theReportCannotReplaceThePolicy() throws {
        try expectRefused(score + ["--output", path("2023.lua")], protecting: path("2023.lua"), saying: "is the policy file")
        // another spelling of the same file, and a symbolic link to it
        try expectRefused(score + ["--output", path("data/../2023.lua")], protecting: path("2023.lua"), saying: "is the policy file")
        try expectRefused(["score", "--policy", path("link.lua"), "--data", path("data"), "--output", path("2023.lua")],
                          protecting: path("2023.lua"), saying: "is the policy file")
        try expectRefused(["rules", "--policy", path("2023.lua"), "--output", path("2023.lua")],
                          protecting: path("2023.lua"), saying: "is the policy file")
        try expectRefused(["diff", path("2023.lua"), path("2024.lua"), "--output", path("2024.lua")],
                          protecting: path("2024.lua"), saying: "is the new policy file")
        try expectRefused(["compare", "--policy", path("2023.lua"), "--policy", path("2024.lua"), "--data", path("data"),
                           "--output", path("2023.lua")], protecting: path("2023.lua"), saying: "is a policy file")
        try expectRefused(["test", path("2023_test.lua"), "--output", path("2023.lua")],
                          protecting: path("2023.lua"), saying: "is a policy file")
    }

    @Test func testReportsCannotReplaceTheTests() throws {
        try expectRefused(["test", path("2023_test.lua"), "--output", path("2023_test.lua")],
                          protecting: path("2023_test.lua"), saying: "is a test file")
        // a folder of tests: a new .lua there would be read as a policy or test by the next run
        try expectRefused(["test", dir, "--format", "json", "--output", path("report.lua")],
                          protecting: path("report.lua"), saying: "is inside the tests' folder")
        #expect(!FileManager.default.fileExists(atPath: path("report.lua")))
    }

    @Test func oneWorkbookHoldsOneForm() throws {
        let result = KaoheCommand.capture(["form", "--policy", path("gy.lua"), "--data", path("gy-data"), "--output", path("all.xlsx")])
        #expect(result.code == 2)
        #expect(result.err.contains("error: 7 units: give --unit, or a folder as --output"), "\(result.err)")
        #expect(!FileManager.default.fileExists(atPath: path("all.xlsx")))
    }

    @Test func theReportCannotReplaceOrJoinTheData() throws {
        try expectRefused(score + ["--output", path("data/units.csv")], protecting: path("data/units.csv"),
                          saying: "is inside the data folder")
        try expectRefused(["explain", "--policy", path("2023.lua"), "--data", path("data"), "--unit", "GZ07",
                           "--output", path("data/study.csv")], protecting: path("data/study.csv"), saying: "replace a file the run reads")
        // a new CSV in the data folder would be read by the next run
        try expectRefused(score + ["--format", "csv", "--output", path("data/ranking.csv")], protecting: path("data/ranking.csv"),
                          saying: "become one of its inputs")
        #expect(!FileManager.default.fileExists(atPath: path("data/ranking.csv")))
    }

    @Test func theReportCannotReplaceTheHistory() throws {
        let db = path("h.sqlite")
        #expect(KaoheCommand.capture(score + ["--save", "--db", db]).code == 0)
        try expectRefused(score + ["--history", "--db", db, "--output", db], protecting: db, saying: "is the history database file")
    }

    @Test func otherOutputsAreWritten() throws {
        // beside the inputs, and an HTML report inside the data folder (not a kind of file the run reads)
        for output in [path("report.html"), path("data/bulletin.html")] {
            let result = KaoheCommand.capture(score + ["--format", "html", "--output", output])
            #expect(result.code == 0, "\(result.err)")
            #expect(FileManager.default.fileExists(atPath: output))
        }
    }

    @Test func formsNeverReplaceFilledForms() throws {
        let form = ["form", "--policy", path("gy.lua"), "--data", path("gy-data")]
        // into the data folder: the forms would be read back as the self-check table
        try expectRefused(form + ["--output", path("gy-data")], protecting: path("gy-data/units.csv"), saying: "is inside the data folder")
        // a second run over forms already written: refused before any is replaced, unless --force
        #expect(KaoheCommand.capture(form + ["--output", path("forms")]).code == 0)
        let written = try FileManager.default.contentsOfDirectory(atPath: path("forms")).sorted()
        #expect(written.count == 7)
        let first = path("forms/" + written[0])
        try Data("filled in".utf8).write(to: URL(fileURLWithPath: first))
        let again = KaoheCommand.capture(form + ["--output", path("forms")])
        #expect(again.code == 1)
        #expect(again.err.contains("and 6 more already exist and may have been filled in; nothing was written"), "\(again.err)")
        #expect(FileManager.default.contents(atPath: first) == Data("filled in".utf8))
        #expect(KaoheCommand.capture(form + ["--output", path("forms"), "--force"]).code == 0)
        #expect(FileManager.default.contents(atPath: first) != Data("filled in".utf8))
    }
}
