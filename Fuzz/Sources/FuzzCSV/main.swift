import Foundation
import Kaohe

// The CSV reader on arbitrary bytes as a units table and as a record table: every input loads or gives a
// DataError; a crash, hang, trap or sanitizer report is a bug.
let policy = try! PolicyLoader.load(bytes: Array("""
    return {
      id = "fuzz", title = "Fuzz", year = 2024, base = 0,
      inputs = {
        units = { "unit_id: text", "name: text", "n: integer?" },
        rows = { "unit_id: text", "x: number", "f: flag?", "k: enum(a, 是)?", "t: text?" },
      },
      rules = { { id = "r", title = "R", score = function(u) return sum(u.rows, "x") end } },
    }
    """.utf8), path: "fuzz.lua")
let folder: String = {
    let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("kaohe-fuzz-csv-\(getpid())")
    try! FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Data(bytes: start, count: count)
    // the input split in two at its first NUL: the units file and the rows file
    let cut = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let units = bytes[..<cut], rows = cut < bytes.endIndex ? bytes[(cut + 1)...] : Data("unit_id,x\n".utf8)
    try! Data(units).write(to: URL(fileURLWithPath: folder + "/units.csv"))
    try! Data(rows).write(to: URL(fileURLWithPath: folder + "/rows.csv"))
    do {
        let data = try DatasetLoader.load(policy: policy, path: folder)
        _ = try Scorer.score(policy: policy, data: data, options: .init(jobs: 1))
    } catch is DataError {
    } catch {
        fatalError("not a DataError: \(error)")
    }
    return 0
}
