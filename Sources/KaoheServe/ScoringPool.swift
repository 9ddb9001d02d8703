import Dispatch
import Synchronization

/// Runs synchronous CPU work (loading, scoring) on threads of its own, at most `slots` at a time, so that the
/// event loop never scores and a runaway policy (held to the sandbox's time limit) holds one slot, not the
/// server. Work that finds no free slot waits its turn.
final class ScoringPool: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "kaohe.workbench.scoring", attributes: .concurrent)

    init(slots: Int) { state = Mutex(State(free: max(1, slots))) }

    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    private func acquire() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let go = state.withLock { s -> Bool in
                if s.free > 0 { s.free -= 1; return true }
                s.waiting.append(c)
                return false
            }
            if go { c.resume() }
        }
    }

    private func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiting.isEmpty { s.free += 1; return nil }
            return s.waiting.removeFirst()
        }
        next?.resume()
    }
}
