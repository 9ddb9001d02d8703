import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Kaohe
@testable import KaoheServe
import KaoheTestSupport
import Testing

/// `/history` and `/history/compare`: the runs in the root's `.kaohe/history.sqlite`.
@Suite struct HistoryPageTests {
    /// A root whose history holds Ganzhou 2023 on sample-2023 (run 1) and 2024 on sample-2024 (run 2).
    static func rootWithRuns() throws -> String {
        let root = TemporaryDirectory.make("kaohe-history-page")
        let store = try RunStore(path: root + "/" + RunStore.defaultPath)
        for year in [2023, 2024] {
            let sheet = try Assessment.score(policy: Repository.path("policies/ganzhou/\(year).lua"),
                                             data: Repository.path("policies/ganzhou/sample-\(year)"))
            _ = try Assessment.save(sheet, to: store, label: "y\(year)", kaoheVersion: nil, at: Date(timeIntervalSince1970: 1_700_000_000))
        }
        return root
    }

    @Test func theHistoryListsTheSavedRunsAndComparesTwo() async throws {
        let fixture = try WorkbenchFixture(root: try Self.rootWithRuns())
        try await PageTests.get(fixture, "/history") { r in
            PageTests.expectPage(r, fixture)
            #expect(r.text.contains("<tr data-run=\"1\">"))
            #expect(r.text.contains("<tr data-run=\"2\">"))
            #expect(r.text.contains("<td>ganzhou-2024</td><td>2024</td><td>y2024</td><td>23</td>"))
        }
        try await PageTests.get(fixture, "/history/compare?a=1&b=2") { r in
            PageTests.expectPage(r, fixture)
            #expect(r.text.contains("#1 ganzhou-2023"))
            #expect(r.text.contains("#2 ganzhou-2024"))
        }
    }

    struct Refusal: Sendable, CustomStringConvertible {
        var uri: String
        var withRuns: Bool
        var status: HTTPResponse.Status
        var code: String
        var description: String { uri }
    }

    static let refusals = [
        Refusal(uri: "/history", withRuns: false, status: .notFound, code: "history.missing"),
        Refusal(uri: "/history/compare?a=1&b=2", withRuns: false, status: .notFound, code: "history.missing"),
        Refusal(uri: "/history/compare?a=1&b=x", withRuns: true, status: .badRequest, code: "page.bad-run"),
        Refusal(uri: "/history/compare?a=1&b=99", withRuns: true, status: .notFound, code: "history.no-run"),
        Refusal(uri: "/history/compare?a=1", withRuns: true, status: .badRequest, code: "page.missing-query"),
    ]

    @Test(arguments: refusals)
    func aRefusedHistoryPageSaysWhy(_ c: Refusal) async throws {
        let root = c.withRuns ? try Self.rootWithRuns() : TemporaryDirectory.make("kaohe-history-page")
        let fixture = try WorkbenchFixture(root: root)
        try await PageTests.get(fixture, c.uri) { r in
            PageTests.expectPage(r, fixture, status: c.status)
            #expect(r.text.contains("<p class=\"error\" data-code=\"\(c.code)\">"))
            #expect(!r.text.contains(root + "/"), "the database is named relative to the root")
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/.kaohe") || c.withRuns, "looking creates no database")
    }
}
