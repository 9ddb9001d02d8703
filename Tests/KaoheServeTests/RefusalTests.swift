import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Kaohe
@testable import KaoheServe
import KaoheTestSupport
import Testing

/// Every request the workbench refuses: the status, the JSON error's code, and where it points.
@Suite struct RefusalTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var body: String
        var status: HTTPResponse.Status
        var code: String
        /// `error.param` as (key, path), when the error concerns one field.
        var param: [String]?
        /// The first diagnostic's code and line, when there is one.
        var diagnostic: String?
        var line: Int?
        var description: String { name }
    }

    static func request(_ policy: String = "policies/x/2026.lua", _ data: String = "data", params: String = "{}") -> String {
        "{\"policy\": \"\(policy)\", \"data\": \"\(data)\", \"params\": \(params)}"
    }

    static let cases: [Case] = [
        Case(name: "unknown rule", body: request(params: "{\"nope\": {\"x\": 1}}"), status: .unprocessableContent,
             code: "edit.unknown-rule", param: ["nope", "x"], diagnostic: "edit.unknown-rule", line: 7),
        Case(name: "unknown param", body: request(params: "{\"main\": {\"tiers[2].below\": 1}}"), status: .unprocessableContent,
             code: "edit.unknown-param", param: ["main", "tiers[2].below"], diagnostic: "edit.unknown-param", line: 10),
        Case(name: "wrong type", body: request(params: "{\"main\": {\"factor\": \"2\"}}"), status: .unprocessableContent,
             code: "edit.wrong-type", param: ["main", "factor"], diagnostic: "edit.wrong-type", line: 10),
        Case(name: "boolean for a number", body: request(params: "{\"main\": {\"factor\": true}}"), status: .unprocessableContent,
             code: "edit.wrong-type", param: ["main", "factor"], diagnostic: "edit.wrong-type", line: 10),
        Case(name: "not a literal", body: request(params: "{\"main\": {\"bonus\": 4}}"), status: .unprocessableContent,
             code: "edit.not-literal", param: ["main", "bonus"], diagnostic: "edit.not-literal", line: 10),
        Case(name: "null value", body: request(params: "{\"main\": {\"factor\": null}}"), status: .unprocessableContent,
             code: "edit.unsupported-value", param: ["main", "factor"], diagnostic: "edit.unsupported-value", line: 10),
        Case(name: "invalid band fraction", body: request(params: "{\"bands\": {\"top.fraction\": -0.5}}"), status: .unprocessableContent,
             code: "edit.invalid", param: ["bands", "top.fraction"], diagnostic: "band.bad-fraction", line: nil),
        Case(name: "band label", body: request(params: "{\"bands\": {\"top.label\": \"x\"}}"), status: .unprocessableContent,
             code: "edit.band-field", param: ["bands", "top.label"], diagnostic: "edit.band-field", line: 5),
        Case(name: "unknown band", body: request(params: "{\"bands\": {\"nope.fraction\": 0.1}}"), status: .unprocessableContent,
             code: "edit.unknown-band", param: ["bands", "nope.fraction"], diagnostic: "edit.unknown-band", line: 5),
        Case(name: "no policy params", body: request(params: "{\"policy\": {\"x\": 1}}"), status: .unprocessableContent,
             code: "edit.unknown-param", param: ["policy", "x"], diagnostic: "edit.unknown-param", line: 3),
        Case(name: "band without field", body: request(params: "{\"bands\": {\"top\": 0.1}}"), status: .badRequest,
             code: "request.bad-param-path", param: ["bands", "top"]),
        Case(name: "bad param path", body: request(params: "{\"main\": {\"a..b\": 1}}"), status: .badRequest,
             code: "request.bad-param-path", param: ["main", "a..b"]),
        Case(name: "not JSON", body: "{\"policy\": ", status: .badRequest, code: "request.bad-json"),
        Case(name: "no data", body: "{\"policy\": \"policies/x/2026.lua\"}", status: .badRequest, code: "request.bad-json"),
        Case(name: "params not a table of tables", body: request(params: "{\"main\": 3}"), status: .badRequest, code: "request.bad-json"),
        Case(name: "policy outside the root", body: request("../etc/passwd"), status: .forbidden, code: "path.outside-root"),
        Case(name: "climbing out and back", body: request("policies/../../x/policies/x/2026.lua"), status: .forbidden, code: "path.outside-root"),
        Case(name: "absolute path", body: request("/etc/passwd"), status: .forbidden, code: "path.outside-root"),
        Case(name: "symbolic link out", body: request("policies/x/outside.lua"), status: .forbidden, code: "path.outside-root"),
        Case(name: "data link out", body: request("policies/x/2026.lua", "elsewhere"), status: .forbidden, code: "path.outside-root"),
        Case(name: "missing policy", body: request("policies/x/2099.lua"), status: .notFound, code: "path.not-found"),
        Case(name: "policy that does not load", body: request("policies/x/broken.lua"), status: .unprocessableContent,
             code: "policy.invalid", diagnostic: "lua.syntax"),
        Case(name: "data that does not fit", body: request("policies/x/2026.lua", "policies"), status: .unprocessableContent,
             code: "data.invalid", diagnostic: "data.missing-table"),
        Case(name: "rule id clash", body: request("policies/x/clash.lua"), status: .unprocessableContent,
             code: "whatif.rule-id-clash", diagnostic: "whatif.rule-id-clash"),
    ]

    /// The small root, with links that lead out of it and a policy with a rule named `bands`.
    static func root() throws -> String {
        let root = try SmallRoot.make()
        let outside = TemporaryDirectory.make("kaohe-outside")
        try SmallRoot.policy.write(toFile: outside + "/2026.lua", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/policies/x/outside.lua", withDestinationPath: outside + "/2026.lua")
        try FileManager.default.createDirectory(atPath: outside + "/data", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/elsewhere", withDestinationPath: outside + "/data")
        try SmallRoot.policy.replacingOccurrences(of: "id = \"main\"", with: "id = \"bands\"")
            .write(toFile: root + "/policies/x/clash.lua", atomically: true, encoding: .utf8)
        return root
    }

    @Test(arguments: cases)
    func refuses(_ c: Case) async throws {
        let fixture = try WorkbenchFixture(root: try RefusalTests.root())
        try await fixture.test { client in
            try await client.execute(uri: "/api/whatif", method: .post, headers: fixture.csrfHeaders,
                                     body: ByteBuffer(string: c.body)) { response in
                #expect(response.status == c.status, "\(response.text)")
                #expect(response.errorCode == c.code, "\(response.text)")
                let error = response.json["error"] as? NSDictionary
                #expect(error?["status"] as? Int == Int(c.status.code))
                #expect((error?["message"] as? String ?? "").isEmpty == false)
                if let param = c.param {
                    let p = error?["param"] as? NSDictionary
                    #expect([p?["key"] as? String ?? "", p?["path"] as? String ?? ""] == param, "\(response.text)")
                }
                if let code = c.diagnostic {
                    let d = response.diagnostics.first
                    #expect(d?["code"] as? String == code, "\(response.text)")
                    #expect((d?["file"] as? String)?.hasPrefix("policies/") == true, "named relative to the root: \(response.text)")
                    if let line = c.line { #expect(d?["line"] as? Int == line, "\(response.text)") }
                    for key in ["file", "line", "column", "severity", "code", "message", "hint"] { #expect(d?[key] != nil) }
                }
            }
        }
    }

    @Test func anOversizeBodyIs413() async throws {
        let fixture = try WorkbenchFixture(root: try SmallRoot.make(), maxBody: 1024)
        let big = RefusalTests.request(params: "{\"main\": {\"factor\": 1}}") + String(repeating: " ", count: 2048)
        try await fixture.test { client in
            try await client.execute(uri: "/api/whatif", method: .post, headers: fixture.csrfHeaders, body: ByteBuffer(string: big)) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.errorCode == "request.too-large")
            }
        }
    }

    @Test func anUnknownRouteIsAJSON404() async throws {
        let fixture = try WorkbenchFixture(root: try SmallRoot.make())
        try await fixture.test { client in
            try await client.execute(uri: "/api/nothing", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.errorCode == "route.not-found")
            }
        }
    }
}
