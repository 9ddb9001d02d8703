// kaohe-test-helper: the process HistoryTests kills with SIGKILL in the middle of a save. A child forked from
// the multithreaded test process must not run Swift or SQLite code, so the test starts this program instead.
//
//   kaohe-test-helper save-and-stop DATABASE ROUND WHOLE STOP-AFTER UNITS ITEMS NOTE-PADDING
//
// saves WHOLE copies of SyntheticRun.make(units: UNITS, items: ITEMS, notePadding: NOTE-PADDING) into DATABASE
// (policy hashes "kill-ROUND-0", "kill-ROUND-1", …); then, unless STOP-AFTER is "-", begins one more save
// ("kill-ROUND-partial") and stops inside it after unit STOP-AFTER. At its stop point it writes one byte to
// standard output and waits to be killed. Any failure before that exits with status 3 and says why on stderr.
import Foundation
@testable import Kaohe  // RunStore.save(_:afterUnit:), the hook inside a save
import KaoheTestSupport

func stop() -> Never {
    var byte: UInt8 = 1
    _ = write(1, &byte, 1)
    while true { pause() }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("kaohe-test-helper: \(message)\n".utf8))
    exit(3)
}

/// Saves `whole` runs, then stops between saves (`stopAfter` nil) or inside the next one after that unit.
func saveAndStop(path: String, round: Int, whole: Int, stopAfter: Int?, units: Int, items: Int, padding: Int) -> Never {
    do {
        let store = try RunStore(path: path)
        var run = SyntheticRun.make(policySHA: "", units: units, items: items, notePadding: padding)
        for i in 0..<whole {
            run.policySHA256 = "kill-\(round)-\(i)"
            _ = try store.save(run)
        }
        guard let stopAfter else { stop() }
        run.policySHA256 = "kill-\(round)-partial"
        _ = try store.save(run, afterUnit: { if $0 == stopAfter { stop() } })
        fail("the save ended without reaching unit \(stopAfter)")
    } catch {
        fail("\(error)")
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count == 8, arguments[0] == "save-and-stop", let round = Int(arguments[2]), let whole = Int(arguments[3]),
      arguments[4] == "-" || Int(arguments[4]) != nil, let units = Int(arguments[5]), let items = Int(arguments[6]),
      let padding = Int(arguments[7]) else {
    fail("usage: kaohe-test-helper save-and-stop DATABASE ROUND WHOLE STOP-AFTER|- UNITS ITEMS NOTE-PADDING")
}
saveAndStop(path: arguments[1], round: round, whole: whole, stopAfter: Int(arguments[4]), units: units, items: items, padding: padding)
