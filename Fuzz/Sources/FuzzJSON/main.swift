import Foundation
import Kaohe

// The JSON data reader on arbitrary bytes: every input loads or gives a DataError.
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
let file = (NSTemporaryDirectory() as NSString).appendingPathComponent("kaohe-fuzz-\(getpid()).json")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    try! Data(bytes: start, count: count).write(to: URL(fileURLWithPath: file))
    do {
        let data = try DatasetLoader.load(policy: policy, path: file)
        _ = try Scorer.score(policy: policy, data: data, options: .init(jobs: 1))
    } catch is DataError {
    } catch {
        fatalError("not a DataError: \(error)")
    }
    return 0
}
