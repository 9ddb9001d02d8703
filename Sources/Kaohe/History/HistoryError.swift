import Foundation

/// Why the run history could not be used; every message names the database file and what to do.
public enum HistoryError: Error, CustomStringConvertible, Equatable {
    case missing(path: String)
    /// `path` is a symbolic link to `target`, which does not exist.
    case danglingLink(path: String, target: String)
    case cannotOpen(path: String, reason: String)
    case notADatabase(path: String)
    case notKaohe(path: String, tables: [String])
    case newerSchema(path: String, unknown: [String])
    /// A kaohe history whose tables, columns, indexes, triggers or views are not exactly what kaohe's
    /// migrations made (a trigger added by hand could rewrite stored results).
    case unexpectedSchema(path: String, differences: [String])
    case corrupt(path: String, detail: String)
    case busy(path: String)
    case sqlite(path: String, message: String)

    /// No saved run has this id.
    case noRun(id: Int64, path: String)

    /// What is wrong, naming the file.
    public var message: String {
        switch self {
        case .missing(let path): return "no run history at \(path)"
        case .danglingLink(let path, let target):
            return "\(path) is a symbolic link to \(target), which does not exist; kaohe does not create a run history through a link"
        case .cannotOpen(let path, let reason): return "cannot use the run history \(path): \(reason)"
        case .notADatabase(let path): return "\(path) is not an SQLite database, so it cannot hold kaohe's run history"
        case .notKaohe(let path, let tables):
            let what = tables.isEmpty ? "" : " (tables: \(tables.joined(separator: ", ")))"
            return "\(path) is another program's SQLite database\(what), not a kaohe run history; kaohe left it untouched"
        case .newerSchema(let path, let unknown):
            return "\(path) was written by a newer kaohe (schema changes this version does not know: \(unknown.joined(separator: ", ")))"
        case .unexpectedSchema(let path, let differences):
            return "the run history \(path) has been changed outside kaohe: \(differences.joined(separator: "; ")); "
                + "kaohe does not use it, since stored results could be rewritten"
        case .corrupt(let path, let detail): return "the run history \(path) is damaged: \(detail)"
        case .busy(let path): return "the run history \(path) is locked by another process (another kaohe saving?)"
        case .sqlite(let path, let message): return "the run history \(path): SQLite error: \(message)"
        case .noRun(let id, let path): return "no run \(id) in \(path)"
        }
    }

    /// What to do, in words that name no command or option (a program adds how its users choose another
    /// database: the command line's `--db PATH`).
    public var hint: String? {
        switch self {
        case .missing: return "save a run first"
        case .danglingLink(_, let target): return "create \(target) by saving a run to it, or remove the link"
        case .cannotOpen: return "check that its folder exists and is writable"
        case .notADatabase: return "move it aside"
        case .notKaohe: return nil
        case .newerSchema: return "upgrade kaohe to use it"
        case .unexpectedSchema: return "restore a backup"
        case .corrupt(let path, _): return "check it with sqlite3 \(path) 'PRAGMA integrity_check', or restore a backup"
        case .busy: return "try again when it has finished"
        case .sqlite: return nil
        case .noRun: return "the history lists the saved runs"
        }
    }

    public var description: String { message + (hint.map { "; " + $0 } ?? "") }

    /// The error as a diagnostic about the history file.
    public var diagnostic: Diagnostic {
        Diagnostic(file: path, code: code, message: message, hint: hint)
    }

    /// The database file the error is about.
    public var path: String {
        switch self {
        case .missing(let p), .danglingLink(let p, _), .cannotOpen(let p, _), .notADatabase(let p), .notKaohe(let p, _),
             .newerSchema(let p, _), .unexpectedSchema(let p, _), .corrupt(let p, _), .busy(let p), .sqlite(let p, _),
             .noRun(_, let p):
            return p
        }
    }

    /// A stable code for tools and tests.
    public var code: String {
        switch self {
        case .missing: "history.missing"
        case .danglingLink: "history.dangling-link"
        case .cannotOpen: "history.cannot-open"
        case .notADatabase: "history.not-a-database"
        case .notKaohe: "history.not-kaohe"
        case .newerSchema: "history.newer-schema"
        case .unexpectedSchema: "history.unexpected-schema"
        case .corrupt: "history.corrupt"
        case .busy: "history.busy"
        case .sqlite: "history.sqlite"
        case .noRun: "history.no-run"
        }
    }
}
