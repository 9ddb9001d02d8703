import ArgumentParser
import Foundation
import Kaohe

/// `--db PATH`: the history database (default .kaohe/history.sqlite under the working directory).
struct DatabaseOption: ParsableArguments {
    @Option(name: .customLong("db"), help: ArgumentHelp("The history database.", valueName: "path"))
    var path: String = RunStore.defaultPath
}

/// Article 17 and `--save`: earlier years' runs give multi-year bands; this run is stored.
enum RunHistory {
    static func apply(to sheet: Scoresheet, database: String, save: Bool, label: String?) throws {
        // a link to nothing counts as there, so that RunStore refuses it by name
        let exists = FileManager.default.fileExists(atPath: database)
            || (try? FileManager.default.destinationOfSymbolicLink(atPath: database)) != nil
        guard save || exists else {
            if sheet.hasHistoryBands {
                Console.current.error("note: no history database at \(database); multi-year bands need earlier runs saved with --save")
            }
            return
        }
        let store = try RunStore(path: database, create: save)
        if sheet.hasHistoryBands {
            if let jurisdiction = sheet.policy.jurisdiction {
                try sheet.addHistoryBands { year in
                    try store.previousYearRun(jurisdiction: jurisdiction, year: year + 1, items: false).map { run in
                        Dictionary(run.units.map { ($0.unit, $0.bands) }, uniquingKeysWith: { a, _ in a })
                    }
                }
            } else {
                Console.current.error("note: the policy has no jurisdiction, so its runs cannot be matched with earlier years'")
            }
        }
        guard save else { return }
        switch try store.save(RunRecord(sheet: sheet, label: label, createdAt: Date(), kaoheVersion: KaoheCommand.version)) {
        case .saved(let id):
            Console.current.error("saved run \(id) to \(database)")
        case .alreadySaved(let id):
            Console.current.error("not saved again: run \(id) in \(database) has the same policy and data (sha256)")
        }
    }
}
