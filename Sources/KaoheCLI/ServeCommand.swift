import ArgumentParser
import Dispatch
import Foundation
import Kaohe
#if canImport(KaoheServe)
import KaoheServe
import Synchronization
#endif

/// `kaohe serve`: the workbench — a local web server with a JSON API for discovery and what-if over the
/// policies and data sets under a root.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the workbench: a JSON API (and later pages) over the policies and data sets under a root.",
        discussion: """
        Listens on 127.0.0.1:8023 unless told otherwise (--port 0 picks a free port) and prints the URL. Any address \
        but loopback needs a token: give --token, or one is generated and printed; requests then carry it \
        (Authorization: Bearer TOKEN, or open the printed URL once, which sets a cookie). Ctrl-C stops the server \
        after the requests in flight are answered.
        API: GET /api/session (the CSRF secret every POST sends as X-Kaohe-CSRF), GET /api/policies, GET /api/datasets, \
        POST /api/whatif {"policy": PATH, "data": PATH, "params": {RULE_ID: {"tiers[2].below": 110}, "policy": {…}, \
        "bands": {"top20.fraction": 0.25}}}.
        """)

    @Option(name: .long, help: ArgumentHelp("The folder served: its policies/ and data sets (default: the current folder).", valueName: "dir"))
    var root: String = "."

    @Option(name: .long, help: ArgumentHelp("The port (0: any free port).", valueName: "n"))
    var port: Int = 8023

    @Option(name: .long, help: ArgumentHelp("The address to listen on; any but loopback needs a token.", valueName: "addr"))
    var host: String = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("The token every request must carry (generated when listening beyond loopback).", valueName: "t"))
    var token: String?

    @Option(name: .long, help: "What-ifs scored at the same time.")
    var slots: Int = 2

    @OptionGroup var limits: LimitOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard slots >= 1 else { throw ValidationError("--slots must be at least 1") }
        if let token, token.isEmpty || !token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.~".contains($0)) }) {
            throw ValidationError("--token takes letters, digits and - _ . ~ (it goes into a URL and a cookie)")
        }
    }

    func run() throws {
        #if canImport(KaoheServe)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            throw CLIError("--root \(root): no such folder", code: "serve.root")
        }
        let configuration = WorkbenchConfiguration(root: root, host: host, port: port, token: token, limits: try limits.limits(),
                                                   scoringSlots: slots)
        let token = configuration.resolvedToken()
        let console = Console.current
        let generated = self.token == nil && token != nil
        let failure = Mutex<(any Error)?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                try await WorkbenchServer.run(configuration, token: token) { url in
                    console.write("kaohe workbench: \(url)\n")
                    if generated, let token { console.write("token (generated; give --token to choose one): \(token)\n") }
                    console.write("serving \(configuration.root); Ctrl-C stops\n")
                }
            } catch {
                failure.withLock { $0 = error }
            }
            done.signal()
        }
        done.wait()
        if let error = failure.withLock({ $0 }) {
            throw CLIError("kaohe serve: \(error)", code: "serve.failed")
        }
        #else
        throw CLIError("this kaohe was built without the workbench (KAOHE_WORKBENCH=0); build it with `swift build`", code: "serve.unavailable")
        #endif
    }
}
