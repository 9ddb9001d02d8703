import Foundation
import GRDB

extension HistoryError {
    /// The HistoryError for an SQLite error on the history at `path`.
    init(path: String, _ e: DatabaseError) {
        let message = e.message ?? "\(e.resultCode)"
        switch e.resultCode {
        case .SQLITE_NOTADB: self = .notADatabase(path: path)
        case .SQLITE_CORRUPT: self = .corrupt(path: path, detail: message)
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(path: path)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
            self = .cannotOpen(path: path, reason: message)
        default: self = .sqlite(path: path, message: message)
        }
    }
}
