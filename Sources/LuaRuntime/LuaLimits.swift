import CKaoheLua
import Foundation

/// Limits that apply to one sandbox. Defaults: 64 MiB of memory, 5 s to load a policy, 1 s per rule evaluation.
public struct LuaLimits: Sendable, Equatable {
    public var memoryBytes: Int
    public var loadSeconds: Double
    public var ruleSeconds: Double

    public init(memoryBytes: Int = 64 << 20, loadSeconds: Double = 5, ruleSeconds: Double = 1) {
        self.memoryBytes = memoryBytes
        self.loadSeconds = loadSeconds
        self.ruleSeconds = ruleSeconds
    }
}
