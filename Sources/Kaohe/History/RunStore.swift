import Foundation
import GRDB

/// The history of scoring runs in an SQLite file (default `.kaohe/history.sqlite`).
///
/// The file keeps SQLite's rollback journal (journal_mode DELETE, SQLite's default; synchronous FULL), not
/// WAL: the history is written by one short-lived command at a time, and a rollback-journal database is a
/// single self-contained file once no command is running — safe to copy, back up or put on a network share,
/// with no `-wal`/`-shm` companions to lose. A save is one IMMEDIATE transaction: a process killed mid-save
/// leaves the file untouched or a hot journal that the next open rolls back, so a run is stored whole or not
/// at all.
public final class RunStore: Sendable {
    /// Whether a save stored a new run or found the same policy and data already saved.
    public enum SaveOutcome: Sendable, Equatable {
        case saved(Int64)
        case alreadySaved(Int64)

        /// The id of the stored run.
        public var id: Int64 {
            switch self {
            case .saved(let id), .alreadySaved(let id): return id
            }
        }
    }

    /// `PRAGMA application_id` of a kaohe history ("KAOH"), so that another program's database is never touched.
    public static let applicationID: Int32 = 0x4B41_4F48

    /// The default location, relative to the working directory.
    public static let defaultPath = ".kaohe/history.sqlite"

    /// The database file as given.
    public let path: String
    let dbQueue: DatabaseQueue

    /// Opens (and with `create`, creates along with its folders) the history at `path`, migrating it to the
    /// current schema; throws a `HistoryError` for a file that is not a kaohe history or is from a newer kaohe.
    public init(path: String, create: Bool = true) throws {
        self.path = path
        let fm = FileManager.default
        // a link to nothing: opening it would create the database wherever the link points
        if let target = try? fm.destinationOfSymbolicLink(atPath: path), !fm.fileExists(atPath: path) {
            throw HistoryError.danglingLink(path: path, target: target)
        }
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            if isDir.boolValue { throw HistoryError.cannotOpen(path: path, reason: "it is a folder") }
        } else if !create {
            throw HistoryError.missing(path: path)
        } else {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty {
                do {
                    try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
                } catch {
                    throw HistoryError.cannotOpen(path: path, reason: "cannot create the folder \(parent)")
                }
            }
        }
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.label = "kaohe.history"
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        dbQueue = try Self.wrap(path) { try DatabaseQueue(path: path, configuration: config) }
        try Self.wrap(path) { try HistorySchema.open(dbQueue, path: path) }
    }

    /// Stores a run with all its units and line items in one transaction, unless a run with the same policy
    /// and data sha256 is already stored.
    public func save(_ run: RunRecord) throws -> SaveOutcome {
        try save(run, afterUnit: nil)
    }

    /// `save`, calling `afterUnit` with each unit's position once its rows are written inside the
    /// transaction (the kill test stops a child process at a chosen point of a save).
    func save(_ run: RunRecord, afterUnit: ((Int) -> Void)?) throws -> SaveOutcome {
        try Self.wrap(path) {
            try dbQueue.writeWithoutTransaction { db in
                var outcome = SaveOutcome.saved(0)
                try db.inTransaction(.immediate) {
                    if let id = try Int64.fetchOne(db, sql: "SELECT id FROM run WHERE policy_sha256 = ? AND data_sha256 = ?",
                                                   arguments: [run.policySHA256, run.dataSHA256]) {
                        outcome = .alreadySaved(id)
                        return .rollback
                    }
                    try db.execute(sql: """
                        INSERT INTO run (policy_id, policy_title, policy_year, jurisdiction, policy_sha256, policy_source,
                                         data_sha256, label, created_at, unit_count, kaohe_version, groups_by, total_decimals)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [run.policyID, run.policyTitle, run.policyYear, run.jurisdiction,
                                         run.policySHA256, run.policySource, run.dataSHA256, run.label,
                                         HistoryTime.string(run.createdAt), run.units.count, run.kaoheVersion,
                                         run.groups?.by, run.totalDecimals])
                    let runID = db.lastInsertedRowID
                    let vetoPosition = try Self.savePolicyParts(run, runID: runID, db)
                    let unitInsert = try db.cachedStatement(sql: """
                        INSERT INTO unit_result (run_id, position, unit, name, total_micro, rank, bands, group_id,
                                                 exact_total_micro)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                    let vetoInsert = try db.cachedStatement(sql: """
                        INSERT INTO unit_veto (unit_result_id, position, note) VALUES (?, ?, ?)
                        """)
                    let itemInsert = try db.cachedStatement(sql: """
                        INSERT INTO line_item (unit_result_id, position, rule, citation, title, points_micro, raw_micro,
                                               note, cap)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """)
                    for (position, unit) in run.units.enumerated() {
                        try unitInsert.execute(arguments: [runID, position, unit.unit, unit.name, unit.total.micro,
                                                           unit.rank, Self.encodeBands(unit.bands), unit.group,
                                                           unit.exactTotal?.micro])
                        let unitID = db.lastInsertedRowID
                        for hit in unit.vetoes {
                            guard let k = vetoPosition[hit.veto.id] else {
                                throw HistoryError.sqlite(path: path, message: "unit \(unit.unit) is vetoed by '\(hit.veto.id)', which is not one of the run's vetoes")
                            }
                            try vetoInsert.execute(arguments: [unitID, k, hit.note])
                        }
                        for (k, item) in unit.items.enumerated() {
                            try itemInsert.execute(arguments: [unitID, k, item.rule, item.citation, item.title,
                                                               item.points.micro, item.raw.micro, item.note, item.cap])
                        }
                        afterUnit?(position)
                    }
                    outcome = .saved(runID)
                    return .commit
                }
                return outcome
            }
        }
    }

    /// Every stored run, newest first.
    public func list() throws -> [RunSummary] {
        try Self.wrap(path) {
            try dbQueue.read { db in
                let rows = try Row.fetchAll(db, sql: """
                    SELECT id, policy_id, policy_year, jurisdiction, policy_sha256, data_sha256, label, created_at,
                           unit_count
                    FROM run ORDER BY created_at DESC, id DESC
                    """)
                return try rows.map { r in
                    RunSummary(id: try r.decode(atIndex: 0), policyID: try r.decode(atIndex: 1),
                               policyYear: try r.decode(atIndex: 2), jurisdiction: try r.decode(atIndex: 3),
                               policySHA256: try r.decode(atIndex: 4), dataSHA256: try r.decode(atIndex: 5),
                               label: try r.decode(atIndex: 6), createdAt: try Self.date(r, 7, path),
                               unitCount: try r.decode(atIndex: 8))
                }
            }
        }
    }

    /// The stored run `id` with its units (and, unless `items` is false, their line items), or nil.
    public func run(_ id: Int64, items: Bool = true) throws -> RunRecord? {
        try Self.wrap(path) { try dbQueue.read { db in try load(db, id, items: items) } }
    }

    /// The latest stored run of `jurisdiction` for the year before `year` (article 17: two years in a row).
    public func previousYearRun(jurisdiction: String, year: Int, items: Bool = true) throws -> RunRecord? {
        try Self.wrap(path) {
            try dbQueue.read { db in
                let id = try Int64.fetchOne(db, sql: """
                    SELECT id FROM run WHERE jurisdiction = ? AND policy_year = ?
                    ORDER BY created_at DESC, id DESC LIMIT 1
                    """, arguments: [jurisdiction, year - 1])
                return try id.flatMap { try load(db, $0, items: items) }
            }
        }
    }

    private func load(_ db: Database, _ id: Int64, items: Bool) throws -> RunRecord? {
        guard let r = try Row.fetchOne(db, sql: """
            SELECT id, policy_id, policy_title, policy_year, jurisdiction, policy_sha256, policy_source, data_sha256,
                   label, created_at, unit_count, kaohe_version, groups_by, total_decimals
            FROM run WHERE id = ?
            """, arguments: [id]) else { return nil }
        var run = RunRecord(id: try r.decode(atIndex: 0), policyID: try r.decode(atIndex: 1),
                            policyTitle: try r.decode(atIndex: 2), policyYear: try r.decode(atIndex: 3),
                            jurisdiction: try r.decode(atIndex: 4), policySHA256: try r.decode(atIndex: 5),
                            policySource: try r.decode(atIndex: 6), dataSHA256: try r.decode(atIndex: 7),
                            label: try r.decode(atIndex: 8), createdAt: try Self.date(r, 9, path), units: [],
                            kaoheVersion: try r.decode(atIndex: 11), totalDecimals: try r.decode(atIndex: 13))
        let unitCount: Int = try r.decode(atIndex: 10)
        try loadPolicyParts(&run, groupsBy: try r.decode(atIndex: 12), db)
        let groupIDs = Set(run.groups?.order ?? [])
        var index: [Int64: Int] = [:]
        let units = try Row.fetchCursor(db, sql: """
            SELECT id, unit, name, total_micro, rank, bands, group_id, exact_total_micro
            FROM unit_result WHERE run_id = ? ORDER BY position
            """, arguments: [id])
        while let u = try units.next() {
            let group: String? = try u.decode(atIndex: 6)
            // a group the run does not list, or a run with groups and a unit in none: not what kaohe saved
            if let group, !groupIDs.contains(group) {
                throw HistoryError.corrupt(path: path, detail: "run \(id): a unit is in group \(JSONWriter.quote(group)), which the run does not list")
            }
            if group == nil && !groupIDs.isEmpty {
                throw HistoryError.corrupt(path: path, detail: "run \(id) ranks within groups, but a unit is in none")
            }
            index[try u.decode(atIndex: 0)] = run.units.count
            run.units.append(UnitRecord(unit: try u.decode(atIndex: 1), name: try u.decode(atIndex: 2),
                                        total: Points(micro: try u.decode(atIndex: 3)), rank: try u.decode(atIndex: 4),
                                        bands: try Self.decodeBands(try u.decode(atIndex: 5), path), items: [], group: group,
                                        exactTotal: (try u.decode(atIndex: 7) as Int64?).map { Points(micro: $0) }))
        }
        guard run.units.count == unitCount else {
            throw HistoryError.corrupt(path: path, detail: "run \(id) lists \(unitCount) units but \(run.units.count) are stored")
        }
        try loadVetoHits(&run, index: index, db)
        guard items else { return run }
        let lines = try Row.fetchCursor(db, sql: """
            SELECT l.unit_result_id, l.rule, l.citation, l.title, l.points_micro, l.raw_micro, l.note, l.cap
            FROM line_item l JOIN unit_result u ON u.id = l.unit_result_id
            WHERE u.run_id = ? ORDER BY u.position, l.position
            """, arguments: [id])
        while let l = try lines.next() {
            guard let u = index[try l.decode(atIndex: 0)] else { continue }
            run.units[u].items.append(ItemRecord(
                rule: try l.decode(atIndex: 1), citation: try l.decode(atIndex: 2), title: try l.decode(atIndex: 3),
                points: Points(micro: try l.decode(atIndex: 4)), raw: Points(micro: try l.decode(atIndex: 5)),
                note: try l.decode(atIndex: 6), cap: try l.decode(atIndex: 7)))
        }
        return run
    }

    static func encodeBands(_ bands: [String]) -> String {
        "[" + bands.map(JSONWriter.quote).joined(separator: ",") + "]"
    }

    static func decodeBands(_ text: String, _ path: String) throws -> [String] {
        guard let bands = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) else {
            throw HistoryError.corrupt(path: path, detail: "unreadable bands \(JSONWriter.quote(text))")
        }
        return bands
    }

    static func date(_ row: Row, _ column: Int, _ path: String) throws -> Date {
        let text: String = try row.decode(atIndex: column)
        guard let date = HistoryTime.parse(text) else {
            throw HistoryError.corrupt(path: path, detail: "unreadable time \(JSONWriter.quote(text))")
        }
        return date
    }

    /// Runs `body`, turning SQLite and decoding errors into `HistoryError`s that name the file.
    static func wrap<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as HistoryError {
            throw error
        } catch let error as DatabaseError {
            throw HistoryError(path: path, error)
        } catch let error as RowDecodingError {
            throw HistoryError.corrupt(path: path, detail: "unexpected value (\(error))")
        } catch {
            throw HistoryError.sqlite(path: path, message: String(describing: error))
        }
    }
}
