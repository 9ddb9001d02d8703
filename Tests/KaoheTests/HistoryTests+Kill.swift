import Foundation
import GRDB
import Testing
@testable import Kaohe
import KaoheTestSupport

/// A save killed part-way (a helper process, not a fork) leaves only whole runs.
extension HistoryTests {
    /// What the rollback journal says about the moment of a kill: "none" (between saves), "open" (a save had
    /// begun but not yet written to the database file) or "hot" (the database file was partly written).
    static func journalState(_ path: String) -> String {
        guard let journal = FileManager.default.contents(atPath: path + "-journal"), !journal.isEmpty else { return "none" }
        return journal.prefix(8) == Data([0xD9, 0xD5, 0x05, 0xF9, 0x20, 0xA1, 0x63, 0xD7]) ? "hot" : "open"
    }

    /// A child process is killed with SIGKILL at three points of a save, each reached for certain (the child,
    /// kaohe-test-helper, tells the test through its standard output and waits there; no timing is involved):
    /// between two saves, just after a save has begun (the rollback journal is open, the database file
    /// untouched), and near the end of a save of 2,000 units × 10 items with long notes, which is larger than
    /// SQLite's page cache, so pages have already been written into the database file and the kill leaves a hot
    /// journal. Each time the database must pass `integrity_check` and hold only whole runs, and the next child
    /// must carry on. The child is a process of its own, started from its executable: a fork of this
    /// multithreaded process must not run Swift or SQLite code.
    @Test func killedMidSaveLeavesOnlyWholeRuns() throws {
        let helper = try BuildProducts.executable("kaohe-test-helper")
        let folder = TemporaryDirectory.make(), path = folder + "/history.sqlite"
        defer { try? FileManager.default.removeItem(atPath: folder) }  // ~100 MB
        let units = 2000, items = 10, padding = 120
        let template = SyntheticRun.make(policySHA: "", units: units, items: items, notePadding: padding)
        _ = try RunStore(path: path)  // create it; closed again before the child starts
        var states: [String] = []
        var saved = 0
        // (saves completed before, the unit after which the child stops inside the next save; nil: between saves)
        let points: [(whole: Int, stopAfter: Int?)] = [(1, nil), (1, 0), (0, units - 10)]
        for (round, point) in points.enumerated() {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: helper)
            child.arguments = ["save-and-stop", path, "\(round)", "\(point.whole)", point.stopAfter.map(String.init) ?? "-",
                               "\(units)", "\(items)", "\(padding)"]
            let signal = Pipe()
            let errFile = folder + "/helper-\(round).stderr"
            _ = FileManager.default.createFile(atPath: errFile, contents: nil)
            child.standardInput = FileHandle.nullDevice
            child.standardOutput = signal
            child.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errFile))
            try child.run()
            // a child that hangs before its stop point is killed, so the read below ends and the test fails
            let pid = child.processIdentifier
            let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
            DispatchQueue.global().asyncAfter(deadline: .now() + 900, execute: watchdog)
            let got = signal.fileHandleForReading.readData(ofLength: 1)
            watchdog.cancel()
            kill(pid, SIGKILL)
            child.waitUntilExit()
            let err = (try? String(contentsOfFile: errFile, encoding: .utf8)) ?? ""
            try #require(got.count == 1, "the saving child failed before its stop point (status \(child.terminationStatus)): \(err)")
            #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL,
                    "the saving child ended on its own (status \(child.terminationStatus)): \(err)")
            states.append(Self.journalState(path))
            saved += point.whole

            // Opening rolls a hot journal back. The store is closed again before the next child starts.
            let store = try RunStore(path: path)
            #expect(Self.journalState(path) != "hot")
            let (integrity, orphans, runs) = try store.dbQueue.read { db in
                (try String.fetchAll(db, sql: "PRAGMA integrity_check"),
                 try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count,
                 try Row.fetchAll(db, sql: """
                    SELECT r.id, r.unit_count,
                           (SELECT COUNT(*) FROM unit_result u WHERE u.run_id = r.id),
                           (SELECT COUNT(*) FROM line_item l JOIN unit_result u ON u.id = l.unit_result_id WHERE u.run_id = r.id)
                    FROM run r
                    """).map { [$0[0] as Int, $0[1] as Int, $0[2] as Int, $0[3] as Int] })
            }
            #expect(integrity == ["ok"])
            #expect(orphans == 0)
            #expect(runs.count == saved, "round \(round): \(runs.count) runs stored, \(saved) were saved whole")
            for r in runs { #expect(Array(r[1...]) == [units, units, units * items], "run \(r[0]) is partial") }
            if let last = runs.last {
                var expected = template
                expected.id = Int64(last[0])
                expected.policySHA256 = try #require(try store.run(Int64(last[0]), items: false)?.policySHA256)
                #expect(try store.run(Int64(last[0])) == expected)
            }
        }
        // between saves; a save begun but nothing written to the file yet; pages already in the file
        #expect(states == ["none", "open", "hot"])
    }
}
