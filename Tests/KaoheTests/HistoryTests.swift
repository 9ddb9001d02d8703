import Foundation
import Synchronization
import GRDB
import Testing
@testable import Kaohe
import KaoheTestSupport

/// The run history on real SQLite files: round trips, de-duplication, order, the previous year's run,
/// migrations, foreign files, reports, and a process killed mid-save.
@Suite(.serialized) struct HistoryTests {
    /// A fresh database path in a folder that does not exist yet.
    func dbPath() -> String { TemporaryDirectory.make() + "/nested/.kaohe/history.sqlite" }

    static let decimalsPolicy = """
        return {
          id = "hist-2024", title = "History", year = 2024, jurisdiction = "testland", base = 100,
          bands = {
            { id = "top20", label = "前20%", from = "top", fraction = 0.2 },
            { id = "bottom20", label = "后20%", from = "bottom", fraction = 0.2 },
          },
          inputs = { units = { "unit_id: text", "name: text", "a: number", "b: number" } },
          sections = { { id = "bonus", title = "加分项", citation = "第五条", max = 10 } },
          rules = {
            { id = "a", citation = "第一条", title = "A", section = "bonus", max = 8, min = -3,
              score = function(u) return u.a, "a = " .. u.a end },
            { id = "b", citation = "第二条", title = "B", section = "bonus", score = function(u) return u.b end },
          },
        }
        """

    /// Five units whose totals are 97.5, 110 (a capped, section capped), 99.750001, 101.5 and 100.
    func decimalsSheet() throws -> Scoresheet {
        let dir = Support.folder(["units.csv": "unit_id,name,a,b\nU1,甲,-2.5,0\nU2,乙,12,5\nU3,丙,0.000001,-0.25\nU4,丁,1.5,0\nU5,戊,0,0\n"])
        return try Support.score(try Support.policy(Self.decimalsPolicy), dir)
    }

    static let t0 = SyntheticRun.t0

    @Test func ganzhouRunReadsBackEqual() throws {
        let sheet = try Support.score(try Support.ganzhou2023, Repository.path("policies/ganzhou/sample-2023"))
        let store = try RunStore(path: dbPath())
        var record = RunRecord(sheet: sheet, label: "初评", createdAt: Self.t0)
        let outcome = try store.save(record)
        guard case .saved(let id) = outcome else { Issue.record("not saved: \(outcome)"); return }
        record.id = id
        let back = try #require(try store.run(id))
        #expect(back == record)
        #expect(back.units.count == 23)
        #expect(back.units.map(\.unit) == sheet.order.map { sheet.data.unitIDs[$0] })
        #expect(back.units.allSatisfy { $0.items.count == sheet.policy.rules.count })
        #expect(back.policySource == String(decoding: sheet.policy.sourceBytes, as: UTF8.self))
        #expect(back.jurisdiction == "ganzhou" && back.policyYear == 2023 && back.label == "初评")
        #expect(back.unitIDs(inBand: "bottom20") == ["GZ17", "GZ18", "GZ07", "GZ11", "GZ03"])
        let bare = try #require(try store.run(id, items: false))
        #expect(bare.units.allSatisfy { $0.items.isEmpty } && bare.units.map(\.total) == record.units.map(\.total))
        #expect(try store.run(id + 1) == nil)
    }

    @Test func exactDecimalsCapsAndSectionAdjustmentsReadBack() throws {
        let sheet = try decimalsSheet()
        let store = try RunStore(path: dbPath())
        var record = RunRecord(sheet: sheet, label: nil, createdAt: Date(timeIntervalSince1970: 1_717_171_717.1234))
        let id = try store.save(record).id
        record.id = id
        let back = try #require(try store.run(id))
        #expect(back == record)
        #expect(back.createdAt == Date(timeIntervalSince1970: 1_717_171_717.123))
        #expect(back.units.map(\.total.description) == ["110", "101.5", "100", "99.750001", "97.5"])
        let u2 = try #require(back.units.first { $0.unit == "U2" })
        #expect(u2.items.map(\.rule) == ["a", "b", "section:bonus"])
        #expect(u2.items[0].points == Points(integer: 8) && u2.items[0].raw == Points(integer: 12) && u2.items[0].cap == "max 8")
        #expect(u2.items[2].points == Points(integer: -3) && u2.items[2].cap == "max 10")
        let u3 = try #require(back.units.first { $0.unit == "U3" })
        #expect(u3.items[0].points.micro == 1 && u3.items[1].points.description == "-0.25")
        #expect(back.units.first?.bands == ["top20"] && back.units.last?.bands == ["bottom20"])
    }

    @Test func resavingTheSamePolicyAndDataIsReportedNotDuplicated() throws {
        let store = try RunStore(path: dbPath())
        let first = try store.save(SyntheticRun.make(policySHA: "aaa", dataSHA: "ddd"))
        guard case .saved(let id) = first else { Issue.record("not saved: \(first)"); return }
        var again = SyntheticRun.make(policySHA: "aaa", dataSHA: "ddd", createdAt: Self.t0.addingTimeInterval(60))
        again.label = "second try"
        #expect(try store.save(again) == .alreadySaved(id))
        #expect(try store.list().count == 1)
        #expect(try store.run(id)?.label == nil)
        // Same policy on other data, or other policy on the same data: new runs.
        #expect(try store.save(SyntheticRun.make(policySHA: "aaa", dataSHA: "eee")) == .saved(id + 1))
        #expect(try store.save(SyntheticRun.make(policySHA: "bbb", dataSHA: "ddd")) == .saved(id + 2))
        #expect(try store.list().count == 3)
    }

    @Test func listIsNewestFirst() throws {
        let store = try RunStore(path: dbPath())
        #expect(try store.list().isEmpty)
        let times = [0.0, 7200, 3600].map { Self.t0.addingTimeInterval($0) }
        for (i, t) in times.enumerated() {
            var r = SyntheticRun.make(policySHA: "p\(i)", createdAt: t, units: 4)
            r.label = "run \(i)"
            _ = try store.save(r)
        }
        let list = try store.list()
        #expect(list.map(\.id) == [2, 3, 1])
        #expect(list.map(\.label) == ["run 1", "run 2", "run 0"])
        #expect(list[0] == RunSummary(id: 2, policyID: "p-2023", policyYear: 2023, jurisdiction: "ganzhou",
                                      policySHA256: "p1", dataSHA256: "d", label: "run 1", createdAt: times[1], unitCount: 4))
    }

    @Test func previousYearRunIsTheLatestOfThatJurisdictionAndYear() throws {
        let store = try RunStore(path: dbPath())
        _ = try store.save(SyntheticRun.make(policySHA: "old", year: 2022, createdAt: Self.t0))
        let latest = try store.save(SyntheticRun.make(policySHA: "new", year: 2022, createdAt: Self.t0.addingTimeInterval(10))).id
        _ = try store.save(SyntheticRun.make(policySHA: "other", year: 2022, jurisdiction: "suzhou", createdAt: Self.t0.addingTimeInterval(20)))
        _ = try store.save(SyntheticRun.make(policySHA: "none", year: 2022, jurisdiction: nil, createdAt: Self.t0.addingTimeInterval(30)))
        _ = try store.save(SyntheticRun.make(policySHA: "this", year: 2023, createdAt: Self.t0.addingTimeInterval(40)))
        let prev = try #require(try store.previousYearRun(jurisdiction: "ganzhou", year: 2023))
        #expect(prev.id == latest && prev.policySHA256 == "new" && prev.units.allSatisfy { $0.items.count == 2 })
        #expect(try store.previousYearRun(jurisdiction: "ganzhou", year: 2024)?.policySHA256 == "this")
        #expect(try store.previousYearRun(jurisdiction: "ganzhou", year: 2022) == nil)
        #expect(try store.previousYearRun(jurisdiction: "suzhou", year: 2023)?.policySHA256 == "other")
        #expect(try store.previousYearRun(jurisdiction: "ganzhou", year: 2023, items: false)?.units.first?.items == [])
    }

    @Test func migrationIsRecordedAndReopeningKeepsRuns() throws {
        let path = dbPath()
        #expect(throws: HistoryError.missing(path: path)) { try RunStore(path: path, create: false) }
        do {
            let store = try RunStore(path: path)
            _ = try store.save(SyntheticRun.make(policySHA: "x"))
        }
        #expect(FileManager.default.fileExists(atPath: path))
        let store = try RunStore(path: path, create: false)
        let (migrations, appID, tables, journal) = try store.dbQueue.read { db in
            (try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
             try Int32.fetchOne(db, sql: "PRAGMA application_id"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
             [try String.fetchOne(db, sql: "PRAGMA journal_mode"), try String.fetchOne(db, sql: "PRAGMA synchronous")])
        }
        #expect(journal == ["delete", "2"])  // rollback journal, synchronous FULL
        #expect(migrations == ["v1", "v2", "v3"])
        #expect(appID == RunStore.applicationID)
        #expect(tables == ["grdb_migrations", "line_item", "run", "run_band", "run_group", "run_veto", "sqlite_sequence",
                           "unit_result", "unit_veto"])
        #expect(try store.list().count == 1)
        #expect(try store.save(SyntheticRun.make(policySHA: "x")) == .alreadySaved(1))
    }

    /// A history written before v2 (no kaohe_version column) opens, migrates, keeps its runs, and records
    /// the version of runs saved from then on.
    @Test func aVersion1HistoryIsMigratedInPlace() throws {
        let path = dbPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in try HistorySchema.migrate(db, path, upTo: 1) }
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO run (policy_id, policy_title, policy_year, jurisdiction, policy_sha256, policy_source,
                                     data_sha256, label, created_at, unit_count)
                    VALUES ('p-2023', 'P', 2023, 'x', 'old', '', 'd', NULL, '2024-01-01T00:00:00.000Z', 0)
                    """)
            }
        }
        let store = try RunStore(path: path)
        let migrations = try store.dbQueue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(migrations == ["v1", "v2", "v3"])
        let old = try #require(try store.run(1))
        #expect(old.policySHA256 == "old" && old.kaoheVersion == nil)
        #expect(HistoryReport.show(old, format: .table).contains("scored by     （未记录）"))
        var new = SyntheticRun.make(policySHA: "new", units: 3, items: 2)
        new.kaoheVersion = "kaohe 9.9 (Lua 5.4.9)"
        let id = try store.save(new).id
        #expect(try store.run(id)?.kaoheVersion == "kaohe 9.9 (Lua 5.4.9)")
        #expect(HistoryReport.show(try #require(try store.run(id)), format: .json).contains("\"kaohe_version\": \"kaohe 9.9 (Lua 5.4.9)\""))
    }

    /// Six connections open a new file and save at once, fifteen times over: each must see a kaohe history
    /// (not a half-made stranger's database), wait for the others' locks, and store its run.
    @Test func concurrentFirstSavesToANewFileAllSucceed() throws {
        for _ in 0..<15 {
            let path = dbPath()
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 6) { i in
                do {
                    _ = try RunStore(path: path).save(SyntheticRun.make(policySHA: "c\(i)", units: 50, items: 5))
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
            #expect(try RunStore(path: path).list().count == 6)
        }
    }

    /// A kaohe history changed by hand in its schema is refused, naming what differs, and left as it was:
    /// a trigger that rewrites stored bands, an extra view or index, a table with another definition, a
    /// dropped index, a missing migrations table; also on v1 and v2 files, before they would be migrated.
    @Test func aHistoryWithAHandMadeSchemaChangeIsRefusedUntouched() throws {
        let cases: [(sql: String, difference: String)] = [
            ("CREATE TRIGGER keep_bands AFTER INSERT ON unit_result BEGIN UPDATE unit_result SET bands = '[]' WHERE id = NEW.id; END",
             "trigger keep_bands on unit_result was not made by kaohe"),
            ("CREATE VIEW totals AS SELECT unit, total_micro FROM unit_result", "view totals was not made by kaohe"),
            ("CREATE INDEX by_name ON unit_result (name)", "index by_name on unit_result was not made by kaohe"),
            ("ALTER TABLE line_item ADD COLUMN extra TEXT", "table line_item differs from kaohe's"),
            ("DROP INDEX run_by_year", "index run_by_year on run is missing"),
            ("DROP TABLE grdb_migrations", "the table grdb_migrations is missing"),
        ]
        for (applied, (sql, difference)) in [3, 2, 1].flatMap({ n in cases.map { (n, $0) } }) {
            let path = dbPath()
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try DatabaseQueue(path: path).writeWithoutTransaction { db in
                try HistorySchema.migrate(db, path, upTo: applied)
                try db.execute(sql: sql)
            }
            let before = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect {
                _ = try RunStore(path: path).save(SyntheticRun.make(policySHA: "x"))
            } throws: { error in
                guard case .unexpectedSchema(let p, let differences) = error as? HistoryError else { return false }
                return p == path && differences.contains(difference)
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "\(sql) (v\(applied)): the file was changed")
        }
        let message = HistoryError.unexpectedSchema(path: "h.sqlite", differences: ["trigger t on run was not made by kaohe"]).description
        #expect(message.contains("h.sqlite") && message.contains("trigger t on run") && !message.contains("--db"))
    }

    /// A file with views (or only an index or trigger target) named like kaohe's tables, but no application id,
    /// is another program's: refused and never stamped as a kaohe history.
    @Test func aForeignFileWithViewsNamedLikeKaohesTablesIsNotStamped() throws {
        let path = TemporaryDirectory.make() + "/views.sqlite"
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE VIEW run AS SELECT 1 AS id; CREATE VIEW unit_result AS SELECT 1 AS id")
        }
        #expect(throws: HistoryError.notKaohe(path: path, tables: ["run", "unit_result"])) { try RunStore(path: path) }
        let appID = try DatabaseQueue(path: path).read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") }
        #expect(appID == 0)
    }

    /// Migrations recorded out of order or twice are not kaohe's doing.
    @Test func migrationsOutOfOrderAreRefused() throws {
        let path = dbPath()
        _ = try RunStore(path: path)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "DELETE FROM grdb_migrations; INSERT INTO grdb_migrations VALUES ('v2'), ('v1')")
        }
        #expect {
            try RunStore(path: path)
        } throws: { error in
            guard case .unexpectedSchema(_, let differences) = error as? HistoryError else { return false }
            return differences.first?.contains("not the ones kaohe applies in order") == true
        }
    }

    @Test func deletingARunCascadesToUnitsAndItems() throws {
        let store = try RunStore(path: dbPath())
        _ = try store.save(SyntheticRun.make(policySHA: "a", units: 5, items: 3))
        _ = try store.save(SyntheticRun.make(policySHA: "b", units: 4, items: 3))
        let counts = try store.dbQueue.write { db in
            try db.execute(sql: "DELETE FROM run WHERE id = 1")
            return [try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM unit_result") ?? -1,
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM line_item") ?? -1]
        }
        #expect(counts == [4, 12])
        #expect(try store.run(2)?.units.count == 4)
    }

    @Test func aFileThatIsNotSQLiteIsRefusedClearly() throws {
        let dir = Support.folder(["history.sqlite": String(repeating: "名称,总分\n这不是数据库 not a database\n", count: 40)])
        let path = dir + "/history.sqlite"
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: HistoryError.notADatabase(path: path)) { try RunStore(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(throws: HistoryError.cannotOpen(path: dir, reason: "it is a folder")) { try RunStore(path: dir) }
        let message = HistoryError.notADatabase(path: path).description
        #expect(message.contains(path) && message.contains("not an SQLite database") && !message.contains("--db"))
    }

    @Test func anotherProgramsDatabaseIsLeftUntouched() throws {
        let path = TemporaryDirectory.make() + "/other.sqlite"
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE contacts (name TEXT)") }
        #expect(throws: HistoryError.notKaohe(path: path, tables: ["contacts"])) { try RunStore(path: path) }
        let tables = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master") }
        #expect(tables == ["contacts"])
        #expect(HistoryError.notKaohe(path: path, tables: ["contacts"]).description.contains("not a kaohe run history"))
    }

    @Test func handEditedRowsGiveAnErrorNotACrash() throws {
        let store = try RunStore(path: dbPath())
        for (i, edit) in ["UPDATE unit_result SET bands = 'top20' WHERE run_id = 1",
                          "UPDATE run SET created_at = 'yesterday' WHERE id = 2",
                          "DELETE FROM unit_result WHERE run_id = 3 AND position = 0"].enumerated() {
            _ = try store.save(SyntheticRun.make(policySHA: "h\(i)"))
            try store.dbQueue.write { db in try db.execute(sql: edit) }
            #expect {
                _ = try store.run(Int64(i + 1))
            } throws: { error in
                guard case .corrupt(let path, _) = error as? HistoryError else { return false }
                return path == store.path && "\(error)".contains("PRAGMA integrity_check")
            }
        }
        #expect(throws: HistoryError.self) { try store.list() }  // run 2's time
    }

    @Test func aNewerSchemaIsRefused() throws {
        let path = dbPath()
        _ = try RunStore(path: path)
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v2-rules')") }
        #expect(throws: HistoryError.newerSchema(path: path, unknown: ["v2-rules"])) { try RunStore(path: path) }
        let message = HistoryError.newerSchema(path: path, unknown: ["v2-rules"]).description
        #expect(message.contains(path) && message.contains("newer kaohe") && message.contains("upgrade kaohe"))
    }

    @Test func timesAreUTCISO8601() {
        let cases: [(Double, String)] = [
            (0, "1970-01-01T00:00:00.000Z"), (1_709_251_199.999, "2024-02-29T23:59:59.999Z"),
            (-1, "1969-12-31T23:59:59.000Z"), (951_782_400.5, "2000-02-29T00:00:00.500Z"),
            (4_102_444_800, "2100-01-01T00:00:00.000Z"),
        ]
        for (t, text) in cases {
            let date = Date(timeIntervalSince1970: t)
            #expect(HistoryTime.string(date) == text)
            #expect(HistoryTime.parse(text) == date)
        }
        #expect(HistoryTime.string(Date(timeIntervalSince1970: 0.4), milliseconds: false) == "1970-01-01T00:00:00Z")
        for bad in ["", "2024-02-29 23:59:59.999Z", "2024-13-01T00:00:00.000Z", "2024-02-29T23:59:59.999"] {
            #expect(HistoryTime.parse(bad) == nil)
        }
    }

    @Test func reportsListAndShow() throws {
        let sheet = try decimalsSheet()
        let store = try RunStore(path: dbPath())
        _ = try store.save(RunRecord(sheet: sheet, label: "初评", createdAt: Self.t0))
        let list = try store.list()
        let p12 = String(sheet.policy.sha256.prefix(12)), d12 = String(sheet.data.sha256.prefix(12))
        #expect(HistoryReport.list(list, format: .table, language: .en) == """
            Run  Time (UTC)            Policy     Year  Label  Units  Policy sha256  Data sha256
              1  2023-11-14T22:13:20Z  hist-2024  2024  初评       5  \(p12)   \(d12)

            """)
        #expect(HistoryReport.list([], format: .table, language: .en) == "No saved runs.\n")
        let listJSON = HistoryReport.list(list, format: .json)
        #expect(listJSON.contains("\"created_at\": \"2023-11-14T22:13:20.250Z\",\n      \"label\": \"初评\","))
        #expect(listJSON.contains("\"units\": 5"))
        let run = try #require(try store.run(1))
        let table = HistoryReport.show(run, format: .table)
        #expect(table.hasPrefix("记录 1 · 2023-11-14T22:13:20Z · 初评\nHistory 2024（hist-2024） · testland · 5 个单位\n"))
        // band labels, not ids
        #expect(table.hasSuffix("""
            排名  编号  单位       总分  等次
               1  U2    乙          110  前20%
               2  U4    丁        101.5
               3  U5    戊          100
               4  U3    丙    99.750001
               5  U1    甲         97.5  后20%

            """))
        let json = HistoryReport.show(run, format: .json)
        #expect(json.contains("\"total\": 97.5,"))
        #expect(json.contains("\"raw\": 12,\n"))
        #expect(json.contains("\"cap\": \"max 8\""))
        #expect(json.contains("\"id\": 1,\n    \"created_at\": \"2023-11-14T22:13:20.250Z\""))
    }

}
