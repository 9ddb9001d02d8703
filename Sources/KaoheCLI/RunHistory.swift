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

    /// The command line's hint for a history error: the library's, with the commands and options to use.
    static func hint(_ error: HistoryError) -> String? {
        let elsewhere = "or choose another file with --db PATH"
        switch error {
        case .missing: return "save a run first (kaohe score … --save), \(elsewhere)"
        case .danglingLink(_, let target):
            return "create \(target) with kaohe score … --save --db \(target) (its folder must exist), remove the link, \(elsewhere)"
        case .cannotOpen, .notADatabase, .newerSchema, .unexpectedSchema, .corrupt: return error.hint.map { "\($0), \(elsewhere)" }
        case .notKaohe: return "choose another file with --db PATH"
        case .busy, .sqlite: return error.hint
        case .noRun: return "`kaohe history list` shows the saved runs"
        }
    }
}
