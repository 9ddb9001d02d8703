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

    /// The message, naming the file and what to do.
    public var description: String {
        let elsewhere = "or choose another file with --db PATH"
        switch self {
        case .missing(let path):
            return "no run history at \(path): save a run first (kaohe score … --save), \(elsewhere)"
        case .danglingLink(let path, let target):
            return "\(path) is a symbolic link to \(target), which does not exist; kaohe does not create a run history "
                + "through a link. Create \(target) with kaohe score … --save --db \(target), remove the link, \(elsewhere)"
        case .cannotOpen(let path, let reason):
            return "cannot use the run history \(path): \(reason). Check that its folder exists and is writable, \(elsewhere)"
        case .notADatabase(let path):
            return "\(path) is not an SQLite database, so it cannot hold kaohe's run history. Move it aside, \(elsewhere)"
        case .notKaohe(let path, let tables):
            let what = tables.isEmpty ? "" : " (tables: \(tables.joined(separator: ", ")))"
            return "\(path) is another program's SQLite database\(what), not a kaohe run history; kaohe left it "
                + "untouched. Choose another file with --db PATH"
        case .newerSchema(let path, let unknown):
            return "\(path) was written by a newer kaohe (schema changes this version does not know: "
                + "\(unknown.joined(separator: ", "))). Upgrade kaohe to use it, \(elsewhere)"
        case .unexpectedSchema(let path, let differences):
            return "the run history \(path) has been changed outside kaohe: \(differences.joined(separator: "; ")). "
                + "kaohe does not use it, since stored results could be rewritten; restore a backup, \(elsewhere)"
        case .corrupt(let path, let detail):
            return "the run history \(path) is damaged: \(detail). Check it with sqlite3 \(path) "
                + "'PRAGMA integrity_check', restore a backup, \(elsewhere)"
        case .busy(let path):
            return "the run history \(path) is locked by another process (another kaohe saving?); try again when it has finished"
        case .sqlite(let path, let message):
            return "the run history \(path): SQLite error: \(message)"
        }
    }
}
