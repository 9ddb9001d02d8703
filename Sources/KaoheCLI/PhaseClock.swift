import Dispatch
import Foundation
import Synchronization

/// With KAOHE_TIMING=1, prints how long each phase took to standard error.
final class PhaseClock: Sendable {
    private let last = Mutex(DispatchTime.now().uptimeNanoseconds)
    let enabled = ProcessInfo.processInfo.environment["KAOHE_TIMING"] == "1"

    func lap(_ name: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let before = last.withLock { last in defer { last = now }; return last }
        Console.current.error(String(format: "timing: %@ %.3f s", name, Double(now - before) / 1e9))
    }
}
