import ArgumentParser
import Dispatch
import Foundation
import Kaohe
import LuaRuntime
import Synchronization

/// Sandbox limits.
struct LimitOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Memory cap per Lua state, in MiB.", valueName: "MiB"))
    var memoryLimit: Int = 64

    @Option(name: .long, help: ArgumentHelp("Time budget per rule evaluation, in seconds (loading a policy gets 5× this).", valueName: "seconds"))
    var timeLimit: Double = 1

    func validate() throws { _ = try limits() }

    func limits() throws -> SandboxLimits {
        guard memoryLimit >= 4 else { throw ValidationError("--memory-limit must be at least 4 (MiB)") }
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        return SandboxLimits(memoryBytes: memoryLimit << 20, loadSeconds: timeLimit * 5, ruleSeconds: timeLimit)
    }
}

extension LimitOptions {
    /// The library's options for a run with these limits; phases are timed with KAOHE_TIMING=1.
    func assessment(jobs: Int? = nil, notes: Bool = true, encoding: TextEncoding = .auto) throws -> Assessment.Options {
        let clock = PhaseClock()
        let phaseEnded: (@Sendable (String) -> Void)? = clock.enabled ? { @Sendable name in clock.lap(name) } : nil
        return Assessment.Options(jobs: jobs, limits: try limits(), notes: notes, encoding: encoding, phaseEnded: phaseEnded)
    }
}
