import LuaRuntime

/// The limits every sandbox of a run gets. Defaults: 64 MiB of memory per Lua state, 5 s to load a policy,
/// 1 s per rule evaluation.
public struct SandboxLimits: Sendable, Equatable {
    public var memoryBytes: Int
    public var loadSeconds: Double
    public var ruleSeconds: Double

    public init(memoryBytes: Int = 64 << 20, loadSeconds: Double = 5, ruleSeconds: Double = 1) {
        self.memoryBytes = memoryBytes
        self.loadSeconds = loadSeconds
        self.ruleSeconds = ruleSeconds
    }

    var lua: LuaLimits { LuaLimits(memoryBytes: memoryBytes, loadSeconds: loadSeconds, ruleSeconds: ruleSeconds) }
}
