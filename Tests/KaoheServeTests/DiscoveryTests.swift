import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Kaohe
@testable import KaoheServe
import KaoheTestSupport
import Testing

/// `GET /api/policies` and `GET /api/datasets`, the live server, and a runaway policy beside a listing.
@Suite struct DiscoveryTests {
    static func get(_ fixture: WorkbenchFixture, _ uri: String) async throws -> NSDictionary {
        let body = try await fixture.test { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .ok, "\(response.text)")
                return Data(response.body.readableBytesView)
            }
        }
        return try WhatIfTests.object(Array(body))
    }

    @Test func theRepositorysPolicies() async throws {
        let listing = try await DiscoveryTests.get(try WorkbenchFixture(), "/api/policies")
        let policies = listing["policies"] as? [NSDictionary] ?? []
        #expect(policies.map { $0["path"] as? String ?? "" } == ["policies/ganzhou/2023.lua", "policies/ganzhou/2024.lua",
                                                                 "policies/ganzhou/2025.lua", "policies/guangyuan/2014.lua"])
        #expect(policies.map { $0["id"] as? String ?? "" } == ["ganzhou-2023", "ganzhou-2024", "ganzhou-2025", "guangyuan-2014"])
        #expect(policies.map { $0["year"] as? Int ?? 0 } == [2023, 2024, 2025, 2014])
        #expect(policies.map { $0["jurisdiction"] as? String ?? "" } == ["ganzhou", "ganzhou", "ganzhou", "guangyuan"])
        #expect(policies.allSatisfy { ($0["title"] as? String ?? "").isEmpty == false })
        #expect(listing["truncated"] as? Bool == false)
    }

    @Test func aPolicyThatDoesNotLoadGivesItsDiagnostics() async throws {
        let listing = try await DiscoveryTests.get(try WorkbenchFixture(root: try SmallRoot.make()), "/api/policies")
        let policies = listing["policies"] as? [NSDictionary] ?? []
        #expect(policies.map { $0["path"] as? String ?? "" } == ["policies/x/2026.lua", "policies/x/broken.lua"])
        #expect(policies.first?["id"] as? String == "x-2026")
        let diagnostics = policies.last?["diagnostics"] as? [NSDictionary] ?? []
        #expect(diagnostics.first?["file"] as? String == "policies/x/broken.lua")
        #expect(diagnostics.first?["code"] as? String == "lua.syntax")
    }

    @Test func theRepositorysDataSets() async throws {
        let listing = try await DiscoveryTests.get(try WorkbenchFixture(), "/api/datasets")
        let sets = Dictionary((listing["datasets"] as? [NSDictionary] ?? []).map { ($0["path"] as! String, $0["kind"] as! String) },
                              uniquingKeysWith: { a, _ in a })
        for year in [2023, 2024, 2025] { #expect(sets["policies/ganzhou/sample-\(year)"] == "csv") }
        #expect(sets["policies/guangyuan/sample-2014"] == "csv")
        #expect(sets["policies/guangyuan/sample-2014-forms"] == "csv", "a CSV folder whose self-check table is filled forms")
        let forms = (listing["datasets"] as? [NSDictionary] ?? []).first { $0["path"] as? String == "policies/guangyuan/sample-2014-forms" }
        #expect(forms?["forms"] as? Int == 7)
        #expect(!sets.keys.contains { $0.hasPrefix(".") || $0.contains("/.") }, "hidden folders (.build, .git) are not walked")
    }

    @Test func workbooksFormsAndFolders() async throws {
        let root = try SmallRoot.make()
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/forms", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/.hidden", withIntermediateDirectories: true)
        try fm.copyItem(atPath: Repository.path("policies/guangyuan/sample-2014-forms/GY01-利州区.xlsx"), toPath: root + "/forms/GY01.xlsx")
        try fm.copyItem(atPath: Repository.path("Tests/KaoheTests/Fixtures/libreoffice/percent.xlsx"), toPath: root + "/book.xlsx")
        try fm.copyItem(atPath: Repository.path("Tests/KaoheTests/Fixtures/libreoffice/percent.xlsx"), toPath: root + "/data/units.xlsx")
        try fm.copyItem(atPath: Repository.path("policies/guangyuan/sample-2014-forms/GY02-昭化区.xlsx"), toPath: root + "/data/GY02.xlsx")
        try "unit_id,name\n".write(toFile: root + "/.hidden/units.csv", atomically: true, encoding: .utf8)
        let listing = try await DiscoveryTests.get(try WorkbenchFixture(root: root), "/api/datasets")
        let sets = (listing["datasets"] as? [NSDictionary] ?? []).map { "\($0["path"]!) \($0["kind"]!)" }
        #expect(sets == ["book.xlsx workbook", "data csv", "forms forms"])
        let data = (listing["datasets"] as? [NSDictionary] ?? []).first { $0["path"] as? String == "data" }
        #expect(data?["forms"] as? Int == 1)
    }

    /// A what-if whose edit loops forever answers with the time limit's error, and a listing asked for while
    /// it holds the only scoring slot is answered first: the what-if is held in its slot (on the pool's
    /// thread) until the listing has answered, then runs into its time limit.
    @Test(.timeLimit(.minutes(1))) func aRunawayEditDoesNotBlockOtherRequests() async throws {
        let (started, signal) = AsyncStream<Void>.makeStream()
        let gate = DispatchSemaphore(value: 0)
        let fixture = try WorkbenchFixture(root: try SmallRoot.make(), limits: SandboxLimits(loadSeconds: 5, ruleSeconds: 0.5), slots: 1,
                                           scoringStarted: { signal.yield(); gate.wait() })
        let order = OrderRecorder()
        try await fixture.test { client in
            async let runaway = client.execute(uri: "/api/whatif", method: .post, headers: fixture.csrfHeaders,
                                               body: WorkbenchFixture.whatIf(policy: "policies/x/2026.lua", data: "data",
                                                                             params: ["main": ["spin": true]])) { response in
                await order.record("whatif")
                return (response.status, response.errorCode, response.diagnostics.first?["code"] as? String,
                        response.diagnostics.first?["message"] as? String ?? "")
            }
            var waiting = started.makeAsyncIterator()
            await waiting.next()
            let listed = try await client.execute(uri: "/api/policies", method: .get) { response in
                await order.record("policies")
                return response.status
            }
            gate.signal()
            let (status, code, diagnostic, message) = try await runaway
            #expect(listed == .ok)
            #expect(status == .unprocessableContent)
            #expect(code == "policy.limit")
            #expect(diagnostic == "sandbox.time-limit")
            #expect(message.contains("main"), "\(message)")
        }
        #expect(await order.events == ["policies", "whatif"])
    }

    /// The server `kaohe serve` runs: on port 0 it reports the port it got, and answers there.
    @Test func theServerReportsItsRealPort() async throws {
        let (urls, report) = AsyncStream<String>.makeStream()
        let configuration = WorkbenchConfiguration(root: try SmallRoot.make(), port: 0)
        let server = Task { try await WorkbenchServer.run(configuration, token: nil) { report.yield($0) } }
        var next = urls.makeAsyncIterator()
        let url = try #require(await next.next())
        #expect(url.hasPrefix("http://127.0.0.1:") && !url.hasPrefix("http://127.0.0.1:0/"), "\(url)")
        let (data, response) = try await URLSession.shared.data(from: URL(string: url + "api/session")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self).contains("\"csrf\""))
        server.cancel()
        _ = try? await server.value
    }

    @Test func theLiveRouterAnswersOverASocket() async throws {
        let fixture = try WorkbenchFixture(root: try SmallRoot.make())
        try await fixture.test(.live) { client in
            try await client.execute(uri: "/api/session", method: .get) { response in
                #expect(response.status == .ok)
            }
        }
    }
}

actor OrderRecorder {
    var events: [String] = []
    func record(_ e: String) { events.append(e) }
}
