public import Kaohe

/// How `kaohe serve` runs: the root it serves, where it listens, the token it asks for, and the limits of
/// what one request may cost.
public struct WorkbenchConfiguration: Sendable {
    /// The port when none is given (`kaohe serve` prints the URL on start).
    public static let defaultPort = 8023
    public static let defaultHost = "127.0.0.1"

    /// The folder whose `policies/` and data sets the workbench serves; every path in a request is relative
    /// to it and must stay inside it (symbolic links resolved).
    public var root: String
    public var host: String
    /// 0: any free port (the server reports the one it got).
    public var port: Int
    /// When set, every request must carry it: `Authorization: Bearer <token>`, the `kaohe_token` cookie, or
    /// `?token=<token>` (which sets the cookie). Required for any address but loopback (`resolvedToken`).
    public var token: String?
    /// The sandbox's limits for every policy the workbench loads and scores.
    public var limits: SandboxLimits
    /// The largest request body read (a what-if's JSON).
    public var maxBodyBytes: Int
    /// What-ifs scored at the same time (the others wait their turn); the event loop never scores.
    public var scoringSlots: Int
    /// Worker threads per scoring (nil: one per core).
    public var jobs: Int?

    public init(root: String, host: String = WorkbenchConfiguration.defaultHost, port: Int = WorkbenchConfiguration.defaultPort,
                token: String? = nil, limits: SandboxLimits = SandboxLimits(), maxBodyBytes: Int = 1 << 20,
                scoringSlots: Int = 2, jobs: Int? = nil) {
        self.root = root
        self.host = host
        self.port = port
        self.token = token
        self.limits = limits
        self.maxBodyBytes = maxBodyBytes
        self.scoringSlots = max(1, scoringSlots)
        self.jobs = jobs
    }

    /// Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost): only those may serve without a token.
    public static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" || host == "[::1]" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// The token to require: the one given, else a new random one when the address is not loopback, else none.
    public func resolvedToken() -> String? {
        if let token { return token }
        return WorkbenchConfiguration.isLoopback(host) ? nil : WorkbenchConfiguration.randomSecret()
    }

    /// 32 hex digits from the system's random source.
    static func randomSecret() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let s = String(g.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }.joined()
    }
}
