import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Kaohe
@testable import KaoheServe
import KaoheTestSupport
import Testing

/// A workbench over a root, its router as an application, and the calls the tests make.
struct WorkbenchFixture {
    let workbench: Workbench
    let token: String?

    init(root: String = Repository.root, token: String? = nil, limits: SandboxLimits = SandboxLimits(), slots: Int = 2,
         maxBody: Int = 1 << 20, scoringStarted: (@Sendable () -> Void)? = nil) throws {
        workbench = try Workbench(configuration: WorkbenchConfiguration(root: root, token: token, limits: limits, maxBodyBytes: maxBody,
                                                                        scoringSlots: slots, jobs: 1),
                                  scoringStarted: scoringStarted)
        self.token = token
    }

    var app: some ApplicationProtocol { Application(router: WorkbenchRouter.make(workbench, token: token)) }

    /// Runs `body` against the router (no socket).
    func test<V: Sendable>(_ setup: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> V) async throws -> V {
        try await app.test(setup, body)
    }

    var csrfHeaders: HTTPFields { [WorkbenchRouter.csrfHeader: workbench.csrfToken] }

    static func body(_ json: Any) -> ByteBuffer {
        ByteBuffer(bytes: try! JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]))
    }

    static func whatIf(policy: String = "policies/ganzhou/2023.lua", data: String = "policies/ganzhou/sample-2023",
                       params: [String: [String: Any]]) -> ByteBuffer {
        body(["policy": policy, "data": data, "params": params])
    }
}

extension TestResponse {
    var json: NSDictionary { (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? NSDictionary ?? [:] }
    var text: String { String(decoding: body.readableBytesView, as: UTF8.self) }
    /// `error.code` of a JSON error.
    var errorCode: String? { (json["error"] as? NSDictionary)?["code"] as? String }
    var diagnostics: [NSDictionary] { json["diagnostics"] as? [NSDictionary] ?? [] }
}

/// A temporary root with a small policy whose score function loops forever when `spin` is true, and data.
enum SmallRoot {
    static let policy = """
    -- a small policy for the workbench's tests
    local BONUS = 3
    return {
      id = "x-2026", title = "测试", year = 2026, jurisdiction = "x", language = "zh", base = 0,
      bands = { { id = "top", from = "top", fraction = 0.5 } },
      inputs = { units = { "unit_id: text", "name: text", "score: number" } },
      rules = {
        {
          id = "main", citation = "第一条", title = "得分",
          params = { spin = false, factor = 1, bonus = BONUS },
          score = function(u, p)
            if p.spin then while true do end end
            return u.score * p.factor + (p.bonus or 0)
          end,
        },
      },
    }
    """

    static func make() throws -> String {
        let root = TemporaryDirectory.make("kaohe-serve")
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/policies/x", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/data", withIntermediateDirectories: true)
        try policy.write(toFile: root + "/policies/x/2026.lua", atomically: true, encoding: .utf8)
        try "return {}\n".write(toFile: root + "/policies/x/2026_test.lua", atomically: true, encoding: .utf8)
        try "return { id = \"broken\"\n".write(toFile: root + "/policies/x/broken.lua", atomically: true, encoding: .utf8)
        try "unit_id,name,score\nA,甲,1\nB,乙,2\nC,丙,3\nD,丁,4\n".write(toFile: root + "/data/units.csv", atomically: true, encoding: .utf8)
        return root
    }
}

/// A page the workbench refuses: its URI, and the status and error code the error page must carry.
struct PageRefusal: Sendable, CustomStringConvertible {
    var uri: String
    var status: HTTPResponse.Status
    var code: String
    var description: String { uri }

    /// GETs the page from `fixture` and checks it is the error page that says so.
    func expect(_ fixture: WorkbenchFixture, also: (@Sendable (TestResponse) -> Void)? = nil) async throws {
        let c = self
        try await PageTests.get(fixture, uri) { r in
            PageTests.expectPage(r, fixture, status: c.status)
            #expect(r.text.contains("<p class=\"error\" data-code=\"\(c.code)\">"))
            also?(r)
        }
    }
}
