import Foundation
import Kaohe

// `kaohe check` on arbitrary policy source, with short limits: it loads the policy in the sandbox, checks
// it and scores it on made-up units. Every input gives findings; a crash, a hang past the limits or a
// sanitizer report is a bug.
let limits = SandboxLimits(memoryBytes: 16 << 20, loadSeconds: 0.2, ruleSeconds: 0.05)
let file = (NSTemporaryDirectory() as NSString).appendingPathComponent("kaohe-fuzz-\(getpid()).lua")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    try! Data(bytes: start, count: count).write(to: URL(fileURLWithPath: file))
    _ = PolicyCheck.check(path: file, limits: limits)
    return 0
}
