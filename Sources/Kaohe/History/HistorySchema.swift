import Foundation
import GRDB
import Synchronization

/// The schema of a run history file: its migrations, bringing a file up to date, and checking that a file
/// holds exactly what kaohe's migrations create.
///
/// A file is created and migrated inside one EXCLUSIVE transaction that looks at the file again once it
/// holds the lock: when several kaohe processes open the same new file at once, one creates the schema and
/// the others wait on the busy timeout, then find it done. (GRDB's `DatabaseMigrator` reads the applied
/// migrations outside its transactions, so two processes could both run v1 and one failed with
/// "table run already exists", losing its save.) Applied migrations are recorded in `grdb_migrations`,
/// the table GRDB's migrator used, so files written by earlier kaohe releases open unchanged.
enum HistorySchema {
    /// One schema change. Never edit a shipped migration: add a new one.
    struct Migration {
        let id: String
        let sql: String
    }

    static let migrations: [Migration] = [
        Migration(id: "v1", sql: """
            CREATE TABLE run (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                policy_id TEXT NOT NULL,
                policy_title TEXT NOT NULL,
                policy_year INTEGER NOT NULL,
                jurisdiction TEXT,
                policy_sha256 TEXT NOT NULL,
                policy_source TEXT NOT NULL,
                data_sha256 TEXT NOT NULL,
                label TEXT,
                created_at TEXT NOT NULL,          -- UTC, "YYYY-MM-DDTHH:MM:SS.sssZ"
                unit_count INTEGER NOT NULL,
                UNIQUE (policy_sha256, data_sha256)
            );
            CREATE INDEX run_by_year ON run (jurisdiction, policy_year, created_at);
            CREATE TABLE unit_result (
                id INTEGER PRIMARY KEY,
                run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,         -- 0-based place in the ranking
                unit TEXT NOT NULL,
                name TEXT NOT NULL,
                total_micro INTEGER NOT NULL,      -- points × 1,000,000
                rank INTEGER NOT NULL,
                bands TEXT NOT NULL,               -- JSON array of band ids
                UNIQUE (run_id, position),
                UNIQUE (run_id, unit)
            );
            CREATE TABLE line_item (
                unit_result_id INTEGER NOT NULL REFERENCES unit_result (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,         -- rules in policy order, then section adjustments
                rule TEXT NOT NULL,
                citation TEXT NOT NULL,
                title TEXT NOT NULL,
                points_micro INTEGER NOT NULL,
                raw_micro INTEGER NOT NULL,
                note TEXT NOT NULL,
                cap TEXT,
                PRIMARY KEY (unit_result_id, position)
            ) WITHOUT ROWID;
            """),
        // v2: which kaohe scored each run (NULL for runs saved before)
        Migration(id: "v2", sql: "ALTER TABLE run ADD COLUMN kaohe_version TEXT"),
        // v3: the policy's groups, bands (label and `from`) and vetoes with each run, each unit's group and
        // vetoes, and the decimals totals are printed with (all NULL or absent for runs saved before)
        Migration(id: "v3", sql: """
            ALTER TABLE run ADD COLUMN groups_by TEXT;         -- the units column that groups them; NULL: no groups
            ALTER TABLE run ADD COLUMN total_decimals INTEGER; -- the policy's total = { decimals }; NULL: not rounded
            CREATE TABLE run_group (
                run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,         -- the policy's group order
                id TEXT NOT NULL,
                label TEXT NOT NULL,
                PRIMARY KEY (run_id, position),
                UNIQUE (run_id, id)
            ) WITHOUT ROWID;
            CREATE TABLE run_band (
                run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,         -- the policy's band order
                id TEXT NOT NULL,
                label TEXT NOT NULL,
                origin TEXT CHECK (origin IN ('top', 'bottom', 'history')),   -- the band's `from`; NULL: not known
                meaning TEXT,
                PRIMARY KEY (run_id, position),
                UNIQUE (run_id, id)
            ) WITHOUT ROWID;
            CREATE TABLE run_veto (
                run_id INTEGER NOT NULL REFERENCES run (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,         -- the policy's veto order
                id TEXT NOT NULL,
                citation TEXT NOT NULL,
                title TEXT NOT NULL,
                PRIMARY KEY (run_id, position),
                UNIQUE (run_id, id)
            ) WITHOUT ROWID;
            ALTER TABLE unit_result ADD COLUMN group_id TEXT;  -- a run_group id; NULL: no groups
            ALTER TABLE unit_result ADD COLUMN exact_total_micro INTEGER;  -- the total before the policy's rounding
            CREATE TABLE unit_veto (
                unit_result_id INTEGER NOT NULL REFERENCES unit_result (id) ON DELETE CASCADE,
                position INTEGER NOT NULL,         -- the run_veto position of the veto
                note TEXT NOT NULL,
                PRIMARY KEY (unit_result_id, position)
            ) WITHOUT ROWID;
            """),
    ]

    /// The statement GRDB's migrator created its table with; the same text keeps old and new files alike.
    static let migrationsTable = "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)"

    /// What a file holds, seen under a lock or in a read transaction.
    enum FileState: Equatable {
        /// Nothing at all: a new file, or one another program left empty.
        case empty
        /// A kaohe history with the first `applied` migrations.
        case outdated(applied: Int)
        case current
    }

    /// Opens the history in `dbQueue`: a current file is only read (and checked); anything else is created or
    /// migrated under an exclusive lock, checked, and committed only if it is all kaohe's.
    static func open(_ dbQueue: DatabaseQueue, path: String) throws {
        let state = try dbQueue.read { db in try inspect(db, path) }
        if state == .current {
            try dbQueue.read { db in try verify(db, path, applied: migrations.count) }
            return
        }
        try dbQueue.writeWithoutTransaction { db in
            try db.inTransaction(.exclusive) {
                try migrate(db, path)
                return .commit
            }
        }
    }

    /// Creates or completes the schema; the caller holds the write lock. Throws (and the caller rolls back)
    /// for a file that is not kaohe's or whose schema differs from what the migrations make.
    static func migrate(_ db: Database, _ path: String, upTo count: Int = migrations.count) throws {
        let applied: Int
        switch try inspect(db, path) {
        case .current: applied = migrations.count
        case .outdated(let n): applied = n
        case .empty:
            try db.execute(sql: "PRAGMA application_id = \(RunStore.applicationID)")
            try db.execute(sql: migrationsTable)
            applied = 0
        }
        guard applied < count else { return try verify(db, path, applied: applied) }
        // What is there must be what kaohe made before anything is added to it.
        try verify(db, path, applied: applied)
        for migration in migrations[applied..<count] {
            try db.execute(sql: migration.sql)
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [migration.id])
        }
        try verify(db, path, applied: count)
    }

    /// What the file holds; throws for another program's database or a newer kaohe's.
    static func inspect(_ db: Database, _ path: String) throws -> FileState {
        let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let objects = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name
            """)
        if appID == 0 && objects.isEmpty { return .empty }
        guard appID == RunStore.applicationID else { throw HistoryError.notKaohe(path: path, tables: objects) }
        guard try db.tableExists("grdb_migrations") else {
            throw HistoryError.unexpectedSchema(path: path, differences: ["the table grdb_migrations is missing"])
        }
        let ids = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
        let known = migrations.map(\.id)
        let unknown = ids.filter { !known.contains($0) }
        if !unknown.isEmpty { throw HistoryError.newerSchema(path: path, unknown: unknown) }
        // Migrations are applied in order: the ids must be a prefix of the known list.
        guard ids == Array(known.prefix(ids.count)) else {
            throw HistoryError.unexpectedSchema(path: path, differences: [
                "its migrations (\(ids.joined(separator: ", "))) are not the ones kaohe applies in order (\(known.joined(separator: ", ")))",
            ])
        }
        return ids.count == known.count ? .current : .outdated(applied: ids.count)
    }

    /// One object of a schema, as `sqlite_master` stores it.
    struct Object: Hashable, Comparable {
        let type: String, name: String, table: String, sql: String?
        static func < (a: Object, b: Object) -> Bool { (a.type, a.name) < (b.type, b.name) }
        var label: String { type == "table" || type == "view" ? "\(type) \(name)" : "\(type) \(name) on \(table)" }
    }

    static func objects(_ db: Database) throws -> [Object] {
        try Row.fetchAll(db, sql: """
            SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name
            """).map { Object(type: $0[0], name: $0[1], table: $0[2], sql: $0[3]) }
    }

    /// The objects the first `count` migrations create, made once in memory per count.
    static func expected(applied count: Int) throws -> [Object] {
        if let cached = expectedCache.withLock({ $0[count] }) { return cached }
        let queue = try DatabaseQueue()
        let objects = try queue.writeWithoutTransaction { db in
            try db.execute(sql: migrationsTable)
            for migration in migrations.prefix(count) { try db.execute(sql: migration.sql) }
            return try Self.objects(db)
        }
        expectedCache.withLock { $0[count] = objects }
        return objects
    }

    private static let expectedCache = Mutex<[Int: [Object]]>([:])

    /// Throws `unexpectedSchema` unless the file's tables, columns, indexes, triggers and views are exactly
    /// those of the first `applied` migrations (a trigger added by hand could rewrite stored results).
    static func verify(_ db: Database, _ path: String, applied: Int) throws {
        let want = try expected(applied: applied), have = try objects(db)
        guard want != have else { return }
        let wantByKey = Dictionary(uniqueKeysWithValues: want.map { ("\($0.type) \($0.name)", $0) })
        let haveByKey = Dictionary(uniqueKeysWithValues: have.map { ("\($0.type) \($0.name)", $0) })
        var differences: [String] = []
        for o in have.sorted() {
            guard let w = wantByKey["\(o.type) \(o.name)"] else {
                differences.append("\(o.label) was not made by kaohe")
                continue
            }
            if w != o { differences.append("\(o.label) differs from kaohe's") }
        }
        for o in want.sorted() where haveByKey["\(o.type) \(o.name)"] == nil {
            differences.append("\(o.label) is missing")
        }
        throw HistoryError.unexpectedSchema(path: path, differences: differences)
    }
}
