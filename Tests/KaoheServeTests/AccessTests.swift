import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Kaohe
@testable import KaoheServe
import KaoheTestSupport
import Testing

/// The token a server bound beyond loopback asks for, and the CSRF secret every POST carries.
@Suite struct AccessTests {
    static let token = "s3cret-token"

    @Test(arguments: [
        ("no token", [String: String](), "/api/session", HTTPResponse.Status.unauthorized, "auth.no-token"),
        ("wrong bearer", ["Authorization": "Bearer nope"], "/api/session", .unauthorized, "auth.bad-token"),
        ("wrong cookie", ["Cookie": "kaohe_token=nope"], "/api/session", .unauthorized, "auth.bad-token"),
        ("wrong query", [:], "/api/session?token=nope", .unauthorized, "auth.bad-token"),
        ("not bearer", ["Authorization": "Basic \(token)"], "/api/session", .unauthorized, "auth.no-token"),
        ("bearer", ["Authorization": "Bearer \(token)"], "/api/session", .ok, ""),
        ("cookie", ["Cookie": "kaohe_token=\(token)"], "/api/policies", .ok, ""),
        ("query", [:], "/api/datasets?token=\(token)", .ok, ""),
    ])
    func theTokenIsRequired(_ name: String, _ headers: [String: String], _ uri: String, _ status: HTTPResponse.Status, _ code: String) async throws {
        let fixture = try WorkbenchFixture(root: try SmallRoot.make(), token: AccessTests.token)
        var fields = HTTPFields()
        for (k, v) in headers { fields[HTTPField.Name(k)!] = v }
        let sent = fields
        try await fixture.test { client in
            try await client.execute(uri: uri, method: .get, headers: sent) { response in
                #expect(response.status == status, "\(name): \(response.text)")
                if !code.isEmpty { #expect(response.errorCode == code, "\(name)") }
            }
        }
    }

    /// `?token=` sets the cookie that later requests carry (a page opened from the printed URL).
    @Test func theQueryTokenSetsTheCookie() async throws {
        let fixture = try WorkbenchFixture(root: try SmallRoot.make(), token: AccessTests.token)
        try await fixture.test { client in
            try await client.execute(uri: "/api/session?token=\(AccessTests.token)", method: .get) { response in
                let cookie = response.headers[.setCookie] ?? ""
                #expect(cookie.hasPrefix("kaohe_token=\(AccessTests.token)"), "\(cookie)")
                #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            }
        }
    }

    @Test func loopbackNeedsNoTokenAndOtherAddressesGetOne() {
        #expect(WorkbenchConfiguration(root: ".", host: "127.0.0.1").resolvedToken() == nil)
        #expect(WorkbenchConfiguration(root: ".", host: "::1").resolvedToken() == nil)
        #expect(WorkbenchConfiguration(root: ".", host: "localhost").resolvedToken() == nil)
        let generated = WorkbenchConfiguration(root: ".", host: "0.0.0.0").resolvedToken()
        #expect(generated?.count == 32)
        #expect(generated != WorkbenchConfiguration(root: ".", host: "192.168.1.5").resolvedToken())
        #expect(WorkbenchConfiguration(root: ".", host: "0.0.0.0", token: "mine").resolvedToken() == "mine")
        #expect(WorkbenchConfiguration(root: ".", host: "127.0.0.1", token: "mine").resolvedToken() == "mine")
        #expect(!WorkbenchConfiguration.isLoopback("127.0.0.1.example.com"))
    }

    /// Without a token, only a loopback Host is answered (a DNS-rebinding page sends its own name).
    @Test(arguments: [("127.0.0.1:8023", true), ("localhost", true), ("LOCALHOST:1", true), ("[::1]:8023", true), (nil, true),
                      ("127.1.2.3:80", true), ("evil.example:8023", false), ("127.0.0.1.evil.example", false),
                      ("[fe80::1]:8023", false), ("192.168.1.5:8023", false)] as [(String?, Bool)])
    func onlyLoopbackHostsWithoutAToken(_ host: String?, _ allowed: Bool) {
        #expect(LoopbackHostMiddleware.allows(host) == allowed, "\(host ?? "none")")
    }

    @Test func theSessionGivesTheCSRFSecret() async throws {
        let fixture = try WorkbenchFixture(root: try SmallRoot.make())
        try await fixture.test { client in
            try await client.execute(uri: "/api/session", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["csrf"] as? String == fixture.workbench.csrfToken)
            }
        }
        #expect(try Workbench(configuration: WorkbenchConfiguration(root: ".")).csrfToken != fixture.workbench.csrfToken)
    }

    @Test(arguments: [("missing", nil as String?, "csrf.missing"), ("wrong", "nope", "csrf.bad"), ("empty", "", "csrf.bad")])
    func aPostWithoutTheCSRFSecretIs403(_ name: String, _ value: String?, _ code: String) async throws {
        let fixture = try WorkbenchFixture(root: try SmallRoot.make())
        var headers = HTTPFields()
        if let value { headers[WorkbenchRouter.csrfHeader] = value }
        let sent = headers
        try await fixture.test { client in
            try await client.execute(uri: "/api/whatif", method: .post, headers: sent,
                                     body: WorkbenchFixture.whatIf(policy: "policies/x/2026.lua", data: "data", params: [:])) { response in
                #expect(response.status == .forbidden, "\(name)")
                #expect(response.errorCode == code)
            }
        }
    }

    /// The token is checked before the CSRF secret: a POST with neither is 401.
    @Test func theTokenComesFirst() async throws {
        let fixture = try WorkbenchFixture(root: try SmallRoot.make(), token: AccessTests.token)
        try await fixture.test { client in
            try await client.execute(uri: "/api/whatif", method: .post, body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }
}
