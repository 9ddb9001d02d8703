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

    /// A root where no run was saved: an empty history page, and still no database.
    @Test func aRootWithoutRunsHasAnEmptyHistory() async throws {
        let root = TemporaryDirectory.make("kaohe-history-page")
        let fixture = try WorkbenchFixture(root: root)
        try await PageTests.get(fixture, "/history") { r in
            PageTests.expectPage(r, fixture)
            #expect(r.text.contains("尚无保存的考核记录"))
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/.kaohe"), "looking creates no database")
    }

    /// (with the two runs saved, the refusal)
    static let refusals: [(Bool, PageRefusal)] = [
        (false, PageRefusal(uri: "/history/compare?a=1&b=2", status: .notFound, code: "history.missing")),
        (true, PageRefusal(uri: "/history/compare?a=1&b=x", status: .badRequest, code: "page.bad-run")),
        (true, PageRefusal(uri: "/history/compare?a=1&b=99", status: .notFound, code: "history.no-run")),
        (true, PageRefusal(uri: "/history/compare?a=1", status: .badRequest, code: "page.missing-query")),
    ]

    @Test(arguments: refusals)
    func aRefusedHistoryPageSaysWhy(_ withRuns: Bool, _ c: PageRefusal) async throws {
        let root = withRuns ? try Self.rootWithRuns() : TemporaryDirectory.make("kaohe-history-page")
        try await c.expect(try WorkbenchFixture(root: root)) { r in
            #expect(!r.text.contains(root + "/"), "the database is named relative to the root")
        }
        #expect(!FileManager.default.fileExists(atPath: root + "/.kaohe") || withRuns, "looking creates no database")
    }
}
