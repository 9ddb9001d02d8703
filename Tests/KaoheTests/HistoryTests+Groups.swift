import Foundation
import GRDB
import Testing
@testable import Kaohe
import KaoheTestSupport

/// What a run keeps of its policy since schema v3: groups, band labels and `from`, vetoes, each unit's group
/// and vetoes, the decimals of totals; a history written before v3; and history bands from a grouped run.
extension HistoryTests {
    static let fixtures = "Tests/KaoheCLITests/Fixtures/"

    /// The groups fixture scored under its 2024 or 2025 policy (see ComparisonTests+Groups), with `history`.
    static func groupSheet(_ year: Int, history: Assessment.History? = nil) throws -> Scoresheet {
        try Assessment.score(policy: Repository.path(fixtures + "groups-\(year).lua"), data: Repository.path(fixtures + "groups"),
                             history: history)
    }

    @Test func groupsVetoesAndBandLabelsReadBack() throws {
        let sheet = try Self.groupSheet(2024)
        let store = try RunStore(path: dbPath())
        var record = RunRecord(sheet: sheet, label: nil, createdAt: Self.t0)
        record.id = try store.save(record).id
        let back = try #require(try store.run(record.id!))
        #expect(back == record)
        #expect(back.groups == Policy.Groups(by: "kind", order: ["township", "street"], labels: ["乡镇", "街道"]))
        #expect(back.bands == [BandRecord(id: "hongqi", label: "红旗团委", from: .top, meaning: "授予五四红旗团委"),
                               BandRecord(id: "last", label: "末位", from: .bottom),
                               BandRecord(id: "last-twice", label: "连续两年末位", from: .history, meaning: "约谈主要负责同志")])
        #expect(back.vetoes == [VetoRecord(id: "dues", citation: "第九条", title: "团费收缴率低于90%")])
        #expect(back.totalDecimals == 2)
        #expect(back.units.map(\.unit) == ["T2", "T1", "T5", "T3", "T4", "S1", "S2", "S3"])
        #expect(back.units.map(\.group) == ["township", "township", "township", "township", "township", "street", "street", "street"])
        #expect(back.units.map(\.rank) == [1, 2, 3, 4, 5, 1, 2, 3])
        let s1 = try #require(back.units.first { $0.unit == "S1" })
        #expect(s1.vetoes == [VetoRecord.Hit(veto: back.vetoes[0], note: "团费收缴率 85%")] && s1.bands == [])
        #expect(back.units.filter { !$0.vetoes.isEmpty }.map(\.unit) == ["S1"])
        // without line items the rest is there all the same
        let bare = try #require(try store.run(record.id!, items: false))
        #expect(bare.units.map(\.group) == back.units.map(\.group) && bare.units.map(\.vetoes) == back.units.map(\.vetoes))
        #expect(bare.groups == back.groups && bare.bands == back.bands)
    }

    @Test func historyShowPrintsGroupAndBandLabelsAndVetoes() throws {
        let sheet = try Self.groupSheet(2024)
        let store = try RunStore(path: dbPath())
        let id = try store.save(RunRecord(sheet: sheet, label: "初评", createdAt: Self.t0)).id
        let table = HistoryReport.show(try #require(try store.run(id)), format: .table)
        #expect(table.hasSuffix("""
            组别  排名  编号  单位        总分  等次      一票否决
            乡镇     1  T2    西乡      113.00  红旗团委
            乡镇     2  T1    东乡      110.00
            乡镇     3  T5    中乡      103.50
            乡镇     4  T3    南乡      100.00
            乡镇     5  T4    北乡       90.00  末位
            街道     1  S1    城关街道  106.50            团费收缴率低于90%
            街道     2  S2    新华街道  102.50  红旗团委
            街道     3  S3    和平街道   94.50  末位
            一票否决：S1 城关街道 第九条 团费收缴率低于90%（团费收缴率 85%）

            """), "\(table)")
        let json = HistoryReport.show(try #require(try store.run(id)), format: .json)
        #expect(json.contains("\"groups\": {\n      \"by\": \"kind\",\n      \"order\": ["))
        #expect(json.contains("\"id\": \"last\",\n        \"label\": \"末位\",\n        \"from\": \"bottom\","))
        #expect(json.contains("\"group\": \"street\",\n      \"bands\": [],\n      \"vetoes\": [\n        {\n          \"id\": \"dues\","))
        #expect(json.contains("\"note\": \"团费收缴率 85%\""))
        #expect(json.contains("\"total_decimals\": 2"))
    }

    /// Two stored runs compare as the two scoresheets they came from: the same groups, ranks, band labels,
    /// vetoes and totals.
    @Test func storedRunsCompareAsTheirScoresheets() throws {
        let a = try Self.groupSheet(2024), b = try Self.groupSheet(2025)
        let store = try RunStore(path: dbPath())
        let ida = try store.save(RunRecord(sheet: a, label: nil, createdAt: Self.t0)).id
        let idb = try store.save(RunRecord(sheet: b, label: nil, createdAt: Self.t0)).id
        let fromRuns = Comparison(a: Comparison.Side(try #require(try store.run(ida)), label: "A"),
                                  b: Comparison.Side(try #require(try store.run(idb)), label: "B"))
        let fromSheets = Comparison(a: Comparison.Side(a, label: "A"), b: Comparison.Side(b, label: "B"))
        for format in [CompareReport.Format.table, .csv, .json, .markdown, .html] {
            #expect(CompareReport.render(fromRuns, format: format, language: .zh) == CompareReport.render(fromSheets, format: format, language: .zh),
                    "\(format)")
        }
        // bands keep their `from` (colours), not guessed from their ids
        #expect(fromRuns.band("hongqi")?.from == .top && fromRuns.band("last")?.from == .bottom)
        #expect(fromRuns.band("last-twice")?.from == .history)
    }

    /// History bands of a grouped policy read the earlier run's bands per unit: a unit last in its group in
    /// both years gets 连续两年末位, whichever group it was last in.
    @Test func aStoredRunWithGroupsGivesTheEarlierBands() throws {
        let store = try RunStore(path: dbPath())
        let first = try Self.groupSheet(2024)
        _ = try store.save(RunRecord(sheet: first, label: nil, createdAt: Self.t0))
        let second = try Self.groupSheet(2025, history: Assessment.History(store: store))
        func bands(_ s: Scoresheet) -> [String: [String]] {
            Dictionary(uniqueKeysWithValues: (0..<s.unitCount).map { (s.data.unitIDs[$0], s.ranking.bands[$0]) })
        }
        // last in 2024: 北乡 (townships), 和平街道 (streets); in 2025 the same two
        #expect(bands(first)["T4"] == ["last"] && bands(first)["S3"] == ["last"])
        #expect(bands(second)["T4"] == ["last", "last-twice"] && bands(second)["S3"] == ["last", "last-twice"])
        #expect(bands(second).filter { $0.value.contains("last-twice") }.keys.sorted() == ["S3", "T4"])
        // a unit last in its group only this year does not get it: re-rank 2025 with 南乡 last among townships
        let source = try String(contentsOfFile: Repository.path(Self.fixtures + "groups/units.csv"), encoding: .utf8)
            .replacingOccurrences(of: "T3,南乡,township,township,25,30,99", with: "T3,南乡,township,township,5,30,99")
        let data = Support.folder(["units.csv": source])
        let moved = try Assessment.score(policy: Repository.path(Self.fixtures + "groups-2025.lua"), data: data,
                                         history: Assessment.History(store: store))
        #expect(bands(moved)["T3"] == ["last"] && bands(moved)["T4"] == [])
    }

    /// A history written before v3 (no groups, band labels or vetoes stored) opens, is migrated, and its runs
    /// read back as they were: bands by their ids, without `from`; `history show` prints the ids, and a new
    /// run compares with an old one.
    @Test func aVersion2HistoryIsMigratedAndItsRunsShowTheirBandIDs() throws {
        let path = dbPath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in try HistorySchema.migrate(db, path, upTo: 2) }
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO run (policy_id, policy_title, policy_year, jurisdiction, policy_sha256, policy_source,
                                     data_sha256, label, created_at, unit_count, kaohe_version)
                    VALUES ('groups-2024', '分类考核', 2024, 'fixture', 'old', '', 'd', NULL, '2024-01-01T00:00:00.000Z', 2,
                            'kaohe 0.3.0 (Lua 5.4.4)');
                    INSERT INTO unit_result (id, run_id, position, unit, name, total_micro, rank, bands)
                    VALUES (1, 1, 0, 'T1', '东乡', 110000000, 1, '["hongqi"]'), (2, 1, 1, 'T4', '北乡', 90000000, 2, '["last"]');
                    INSERT INTO line_item (unit_result_id, position, rule, citation, title, points_micro, raw_micro, note, cap)
                    VALUES (1, 0, 'work', '第三条', '日常工作', 50000000, 50000000, '', NULL),
                           (2, 0, 'work', '第三条', '日常工作', 30000000, 30000000, '', NULL);
                    """)
            }
        }
        let store = try RunStore(path: path)
        let migrations = try store.dbQueue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(migrations == ["v1", "v2", "v3"])
        let old = try #require(try store.run(1))
        #expect(old.groups == nil && old.bands.isEmpty && old.vetoes.isEmpty && old.totalDecimals == nil)
        #expect(old.units.map(\.group) == [nil, nil] && old.units.map(\.bands) == [["hongqi"], ["last"]])
        #expect(old.bandList == [BandRecord(id: "hongqi", label: "hongqi", from: nil), BandRecord(id: "last", label: "last", from: nil)])
        #expect(HistoryReport.show(old, format: .table).hasSuffix("""
            排名  编号  单位  总分  等次
               1  T1    东乡   110  hongqi
               2  T4    北乡    90  last

            """))
        // the earlier bands are read as before
        #expect(try Assessment.History(store: store).bands("fixture", 2024) == ["T1": ["hongqi"], "T4": ["last"]])
        // a new run beside it, compared with it
        let id = try store.save(RunRecord(sheet: try Self.groupSheet(2025), label: nil, createdAt: Self.t0)).id
        let c = try Assessment.compare(runs: 1, id, in: store)
        #expect(c.a.groups == nil && c.b.groups != nil)
        let t1 = try #require(c.units.first { $0.unit == "T1" })
        #expect(t1.bandsEntered == [] && t1.bandsLeft == [] && t1.a?.group == nil && t1.b?.group == "township" && !t1.groupChanged)
        let text = CompareReport.render(c, format: .table, language: .zh)
        #expect(text.contains("注意：#1 groups-2024 不分组，其排名为全部单位中的名次\n"), "\(text)")
        #expect(text.contains("红旗团委（乡镇）：进入 无；退出 无\n"), "\(text)")
    }

    /// Rows of a v3 run edited by hand so that they no longer fit together are an error, not a wrong report.
    @Test func handEditedGroupsAndVetoesAreReportedAsDamage() throws {
        let sheet = try Self.groupSheet(2024)
        let edits = [
            "UPDATE unit_result SET group_id = 'village' WHERE position = 0",
            "UPDATE unit_result SET group_id = NULL WHERE position = 0",
            "UPDATE run SET groups_by = NULL",
            "DELETE FROM run_group",
            "UPDATE unit_veto SET position = 7",
            "UPDATE run_band SET origin = 'side'",
        ]
        for edit in edits {
            let store = try RunStore(path: dbPath())
            let id = try store.save(RunRecord(sheet: sheet, label: nil, createdAt: Self.t0)).id
            try store.dbQueue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA ignore_check_constraints = ON")
                try db.execute(sql: edit)
            }
            #expect {
                _ = try store.run(id)
            } throws: { error in
                guard case .corrupt(let path, _) = error as? HistoryError else { return false }
                return path == store.path
            }
        }
    }

    /// A trigger added by hand to one of v3's tables is refused like one on the older tables.
    @Test func aTriggerOnAVersion3TableIsRefused() throws {
        let path = dbPath()
        _ = try RunStore(path: path)
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TRIGGER no_vetoes AFTER INSERT ON unit_veto BEGIN DELETE FROM unit_veto; END")
        }
        #expect {
            _ = try RunStore(path: path)
        } throws: { error in
            guard case .unexpectedSchema(_, let differences) = error as? HistoryError else { return false }
            return differences == ["trigger no_vetoes on unit_veto was not made by kaohe"]
        }
    }
}
