import ArgumentParser
import Foundation
import Kaohe

/// Article 17 and `--save`: the history database the run reads earlier years' runs from, and stores itself in.
enum RunHistory {
    /// The database at `path`, opened (created when saving); nil when there is none and the run is not saved.
    static func open(_ path: String, save: Bool) throws -> RunStore? {
        // a link to nothing counts as there, so that RunStore refuses it by name
        let exists = FileManager.default.fileExists(atPath: path)
            || (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
        guard save || exists else { return nil }
        return try RunStore(path: path, create: save)
    }

    static func save(_ sheet: Scoresheet, to store: RunStore, label: String?) throws {
        switch try Assessment.save(sheet, to: store, label: label, kaoheVersion: KaoheCommand.version) {
        case .saved(let id):
            Console.current.error("saved run \(id) to \(store.path)")
        case .alreadySaved(let id):
            Console.current.error("not saved again: run \(id) in \(store.path) has the same policy and data (sha256)")
        }
    }

    /// What the command line adds to a history error: how to choose another database.
    static func hint(_ error: HistoryError) -> String {
        let elsewhere = "or choose another file with --db PATH"
        switch error {
        case .missing: return " (kaohe score … --save), \(elsewhere)"
        case .danglingLink(_, let target): return " with kaohe score … --save --db \(target), remove the link, \(elsewhere)"
        case .cannotOpen, .notADatabase, .newerSchema, .unexpectedSchema, .corrupt: return ", \(elsewhere)"
        case .notKaohe: return ". Choose another file with --db PATH"
        case .busy, .sqlite: return ""
        case .noRun: return "; `kaohe history list` shows the saved runs"
        }
    }
}
