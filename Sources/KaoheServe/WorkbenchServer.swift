import Hummingbird
import Kaohe
import Logging
import NIOCore

/// `kaohe serve`: the workbench's HTTP server on Hummingbird, until SIGINT or SIGTERM ends it gracefully
/// (requests in flight are answered first).
public enum WorkbenchServer {
    /// Serves `configuration` and calls `started` with the URL to open (the real port when it was 0, and
    /// `?token=` when the server has one) once it listens. `token`: the one to require (see
    /// `WorkbenchConfiguration.resolvedToken()`).
    public static func run(_ configuration: WorkbenchConfiguration, token: String?,
                           started: @escaping @Sendable (String) -> Void) async throws {
        let workbench = try Workbench(configuration: configuration)
        let host = configuration.host
        var logger = Logger(label: "kaohe.serve")
        logger.logLevel = .warning
        let app = Application(
            router: WorkbenchRouter.make(workbench, token: token),
            configuration: .init(address: .hostname(host, port: configuration.port), serverName: "kaohe"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                started(url(host: host, port: port, token: token))
            },
            logger: logger
        )
        try await app.runService()
    }

    /// `http://127.0.0.1:8023/` (with `?token=…` when there is one).
    public static func url(host: String, port: Int, token: String?) -> String {
        let h = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "http://\(h):\(port)/" + (token.map { "?token=\($0)" } ?? "")
    }
}
