import CKaoheFile
import Foundation
import Testing
@testable import KaoheCLI
@testable import Kaohe
import KaoheTestSupport

/// `--output` never replaces what a run reads: the policy, data files, a file in the data or tests folder,
/// the history database, or a county's filled-in form. Each case runs on copies in a temporary folder and
/// checks the refused file is byte for byte what it was.
@Suite(.serialized) struct OutputGuardTests {
    let dir: String

    init() throws {
        _ = FileManager.default.changeCurrentDirectoryPath(Repository.root)
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

/// Files kaohe writes: form names made from data stay in their folder, links are resolved before any
/// comparison, devices and FIFOs are written in place, and a history database is never created through a
/// link to nothing. Each case runs in a temporary folder.
@Suite(.serialized) struct OutputFileTests {
    let dir: String

    init() throws {
        _ = FileManager.default.changeCurrentDirectoryPath(Repository.root)
        dir = NSTemporaryDirectory() + "kaohe-files-" + UUID().uuidString
        let fm = FileManager.default
        try fm.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        try fm.copyItem(atPath: "policies/guangyuan/2014.lua", toPath: dir + "/gy.lua")
        try fm.copyItem(atPath: "policies/guangyuan/sample-2014", toPath: dir + "/gy-data")
        try fm.copyItem(atPath: "policies/ganzhou/2023.lua", toPath: dir + "/2023.lua")
        try fm.copyItem(atPath: "policies/ganzhou/sample-2023", toPath: dir + "/data")
    }

    func path(_ p: String) -> String { dir + "/" + p }
    var score: [String] { ["score", "--policy", path("2023.lua"), "--data", path("data"), "--format", "csv"] }

    func listing(_ p: String) -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: p)) ?? []).sorted() }

    /// The Guangyuan sample with hostile unit ids (and two units whose names come out the same).
    func hostileIDs() throws -> String {
        let data = path("hostile-ids")
        try FileManager.default.copyItem(atPath: path("gy-data"), toPath: data)
        let ids = ["GY01": "../../escaped", "GY02": "CON", "GY03": ".hidden", "GY04": "-rf", "GY05": "a/b", "GY06": "a_b",
                   "GY07": "x\u{1B}[2J\u{202E}"]
        for file in listing(data) {
            var text = try String(contentsOfFile: data + "/" + file, encoding: .utf8)
            for (old, new) in ids { text = text.replacingOccurrences(of: "\n" + old + ",", with: "\n" + CSVText.quoted(new) + ",") }
            if file == "units.csv" { text = text.replacingOccurrences(of: ",青川县", with: ",同名").replacingOccurrences(of: ",剑阁县", with: ",同名") }
            try Data(text.utf8).write(to: URL(fileURLWithPath: data + "/" + file))
        }
        return data
    }

    @Test func formNamesFromDataStayInTheFolder() throws {
        let data = try hostileIDs()
        let units = try String(contentsOfFile: data + "/units.csv", encoding: .utf8)
        #expect(units.contains("\na/b,同名\na_b,同名\n"), "\(units)")
        let before = listing(dir)
        let forms = path("sub/forms")
        let made = KaoheCommand.capture(["form", "--policy", path("gy.lua"), "--data", data, "--output", forms])
        #expect(made.code == 0, "\(made.err)")
        #expect(made.out == "wrote 7 forms to \(forms)\n")
        #expect(listing(forms) == ["_._.._escaped-利州区.xlsx", "CON-昭化区.xlsx", "_hidden-朝天区.xlsx", "_rf-旺苍县.xlsx",
                                   "a_b-同名.xlsx", "a_b-同名-2.xlsx", "x_[2J_-苍溪县.xlsx"].sorted(), "\(listing(forms))")
        #expect(listing(dir) == before, "nothing beside the data: \(listing(dir))")
        #expect(listing(path("sub")) == ["forms"])
        // --force replaces them where they are, and only there
        let again = KaoheCommand.capture(["form", "--policy", path("gy.lua"), "--data", data, "--output", forms, "--force"])
        #expect(again.code == 0, "\(again.err)")
        #expect(listing(forms).count == 7 && listing(dir) == before)
        // one unit without data: its id is the name
        let one = KaoheCommand.capture(["form", "--policy", path("gy.lua"), "--unit", "../../../one", "--output", path("sub/single")])
        #expect(one.code == 0, "\(one.err)")
        #expect(listing(path("sub/single")) == ["_._.._.._one-.._.._.._one.xlsx"])
        #expect(listing(dir) == before)
    }

    @Test(arguments: [("../x", "_._x.xlsx"), ("..", "_..xlsx"), (".", "_.xlsx"), ("", "_.xlsx"), ("-rf", "_rf.xlsx"),
                      ("CON", "_CON.xlsx"), ("nul.txt", "_nul.txt.xlsx"), ("com1", "_com1.xlsx"), ("LPT9 ", "_LPT9 .xlsx"),
                      ("a<b>c:d\"e|f?g*h\\i/j", "a_b_c_d_e_f_g_h_i_j.xlsx"), ("tab\there\u{0}\u{1B}\u{202E}\u{7F}", "tab_here____.xlsx"),
                      ("甘州区-GZ06", "甘州区-GZ06.xlsx"), ("CONSOLE", "CONSOLE.xlsx")])
    func fileNamesAreOneSafeComponent(stem: String, name: String) {
        #expect(FileName.safe(stem, extension: "xlsx") == name)
    }

    @Test func longFileNamesAreCut() {
        let name = FileName.safe(String(repeating: "长", count: 300), extension: "xlsx")
        #expect(name.utf8.count <= FileName.maxBytes + 5)
        #expect(name.hasSuffix("长.xlsx") && !name.contains("/"))
    }

    @Test func anOutputFolderLinkedIntoTheDataIsTheDataFolder() throws {
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: path("link"), withDestinationPath: path("gy-data"))
        try fm.createSymbolicLink(atPath: path("sub/up"), withDestinationPath: "..")
        let before = listing(path("gy-data"))
        for output in [path("link"), path("sub/up/gy-data"), path("sub/up/link"), path("sub/../link")] {
            let r = KaoheCommand.capture(["form", "--policy", path("gy.lua"), "--data", path("gy-data"), "--output", output])
            #expect(r.code == 2, "\(output): \(r.err)")
            #expect(r.err.contains("is inside the data folder"), "\(output): \(r.err)")
            #expect(listing(path("gy-data")) == before, "\(output) wrote into the data")
        }
        // a report through the link
        try fm.createSymbolicLink(atPath: path("data-link"), withDestinationPath: "data")
        let r = KaoheCommand.capture(score + ["--output", path("data-link/ranking.csv")])
        #expect(r.code == 2 && r.err.contains("become one of its inputs"), "\(r.err)")
        #expect(!fm.fileExists(atPath: path("data/ranking.csv")))
        // resolution follows links whose targets do not exist yet, and `..` after a link is the link target's parent
        #expect(OutputGuard.resolved(path("sub/up/link/x/../y.csv")) == OutputGuard.resolved(path("gy-data")) + "/y.csv")
    }

    @Test func aLinkPlantedUnderAFormsNameIsRefused() throws {
        let forms = path("forms")
        try FileManager.default.createDirectory(atPath: forms, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: forms + "/GY01-利州区.xlsx", withDestinationPath: "../outside.xlsx")
        let r = KaoheCommand.capture(["form", "--policy", path("gy.lua"), "--data", path("gy-data"), "--output", forms, "--force"])
        #expect(r.code == 1, "\(r.err)")
        #expect(r.err.contains("GY01-利州区.xlsx leads out of \(forms)"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: path("outside.xlsx")))
        #expect(listing(forms) == ["GY01-利州区.xlsx"], "nothing was written")
    }

    @Test func aFIFOIsWrittenInPlace() throws {
        let fifo = path("report.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        // a reader first (non-blocking), so that kaohe's open for writing does not wait
        let fd = open(fifo, O_RDONLY | O_NONBLOCK)
        #expect(fd >= 0)
        defer { close(fd) }
        let r = KaoheCommand.capture(score + ["--output", fifo])
        #expect(r.code == 0, "\(r.err)")
        var received = Data(), buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            received.append(contentsOf: buffer[..<n])
        }
        #expect(String(decoding: received, as: UTF8.self) == KaoheCommand.capture(score).out)
        var st = kh_file_status()
        #expect(kh_path_status(fifo, 0, &st) == 0 && st.kind == KH_FILE_FIFO, "the FIFO was replaced")
        #expect(listing(dir).filter { $0.contains("report") } == ["report.fifo"], "no temporary file left")
    }

    @Test func outputsThatAreNotFilesAreWrittenInPlaceOrRefused() throws {
        #expect(OutputFile.kind("/dev/null") == .stream)
        #expect(OutputFile.kind(dir) == .unwritable("a folder"))
        #expect(OutputFile.kind(path("new.csv")) == .file)
        #expect(OutputFile.kind(path("data/units.csv")) == .file)
        let r = KaoheCommand.capture(score + ["--output", path("sub")])
        #expect(r.code == 2, "\(r.err)")
        #expect(r.err.contains("--output \(path("sub")) is a folder, not a file kaohe can write a report to"), "\(r.err)")
        #expect(listing(path("sub")).isEmpty)
    }

    @Test func anOutputLinkKeepsItsLinkAndReplacesItsTarget() throws {
        let fm = FileManager.default
        try Data("old".utf8).write(to: URL(fileURLWithPath: path("real.csv")))
        try fm.createSymbolicLink(atPath: path("out.csv"), withDestinationPath: "real.csv")
        try fm.createSymbolicLink(atPath: path("dangling.csv"), withDestinationPath: "sub/new.csv")
        let expected = KaoheCommand.capture(score).out
        for link in ["out.csv", "dangling.csv"] {
            let r = KaoheCommand.capture(score + ["--output", path(link)])
            #expect(r.code == 0, "\(r.err)")
            #expect((try? fm.destinationOfSymbolicLink(atPath: path(link))) != nil, "\(link) is still a link")
        }
        #expect(String(decoding: fm.contents(atPath: path("real.csv")) ?? Data(), as: UTF8.self) == expected)
        #expect(String(decoding: fm.contents(atPath: path("sub/new.csv")) ?? Data(), as: UTF8.self) == expected)
    }

    @Test func aDatabaseLinkToNothingIsRefused() throws {
        let link = path("db.sqlite"), target = path("elsewhere.sqlite")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let runs: [[String]] = [
            ["score", "--policy", path("2023.lua"), "--data", path("data"), "--save", "--db", link],
            ["score", "--policy", path("2023.lua"), "--data", path("data"), "--history", "--db", link],
            ["history", "list", "--db", link],
            ["compare", "1", "2", "--db", link],
        ]
        for arguments in runs {
            let r = KaoheCommand.capture(arguments)
            #expect(r.code == 1, "\(arguments): \(r.err)")
            #expect(r.err.contains("error: \(link) is a symbolic link to \(target), which does not exist"), "\(arguments): \(r.err)")
            #expect(!FileManager.default.fileExists(atPath: target), "\(arguments) created the database through the link")
        }
        // a link to an existing history is used
        #expect(KaoheCommand.capture(["score", "--policy", path("2023.lua"), "--data", path("data"), "--save", "--db", target]).code == 0)
        let listed = KaoheCommand.capture(["history", "list", "--db", link])
        #expect(listed.code == 0 && listed.out.contains("ganzhou-2023"), "\(listed.err)")
    }
}
