import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Kaohe
@testable import KaoheServe
import KaoheTestSupport
import Testing

/// The pages: each is HTML in the policy's language with the bar and the CSRF secret, built from the
/// library's reports; an error is a page with its status and the diagnostics as the CLI gives them.
@Suite struct PageTests {
    static let query = "policy=policies/ganzhou/2023.lua&data=policies/ganzhou/sample-2023"

    /// GETs `uri` and hands the page (status, text) to `check`.
    static func get(_ fixture: WorkbenchFixture, _ uri: String, _ check: @escaping @Sendable (TestResponse) throws -> Void) async throws {
        try await fixture.test { client in
            try await client.execute(uri: uri, method: .get) { response in try check(response) }
        }
    }

    /// What every page carries: HTML, the CSRF secret in the bar, no external resource allowed.
    static func expectPage(_ r: TestResponse, _ fixture: WorkbenchFixture, status: HTTPResponse.Status = .ok, lang: String = "zh-CN") {
        #expect(r.status == status, "\(r.text.prefix(2000))")
        #expect(r.headers[.contentType] == "text/html; charset=utf-8")
        #expect(r.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none';") == true)
        #expect(r.text.contains("<nav class=\"workbench\" data-csrf=\"\(fixture.workbench.csrfToken)\">"))
        #expect(r.text.contains("<html lang=\"\(lang)\">"))
        for outside in ["src=\"http", "href=\"http", "url(http", "@import", "src=\"//", "href=\"//"] {
            #expect(!r.text.contains(outside), "a page loads nothing from elsewhere")
        }
    }

    @Test func theIndexListsPoliciesAndDataSetsWithTheirPages() async throws {
        let fixture = try WorkbenchFixture()
        try await Self.get(fixture, "/") { r in
            Self.expectPage(r, fixture)
            #expect(r.text.contains("<tr data-path=\"policies/ganzhou/2023.lua\">"))
            let query = HTMLWriter.escape(Self.query)
            #expect(r.text.contains("href=\"/whatif?\(query)\""))
            #expect(r.text.contains("href=\"/score?\(query)\""))
            #expect(r.text.contains("<li data-path=\"policies/ganzhou/sample-2023\">"))
            #expect(r.text.contains("<form method=\"get\" action=\"/diff\" class=\"pair\">"), "two policies to diff or compare")
        }
    }

    @Test func theScorePageIsTheBulletinWithTheBar() async throws {
        let fixture = try WorkbenchFixture()
        let sheet = try Assessment.score(policy: Repository.path("policies/ganzhou/2023.lua"), data: Repository.path("policies/ganzhou/sample-2023"))
        try await Self.get(fixture, "/score?\(Self.query)") { r in
            Self.expectPage(r, fixture)
            #expect(r.text.contains("<table class=\"ranking\">"))
            // every unit of the bulletin, in the unit picker too
            for u in 0..<sheet.unitCount {
                #expect(r.text.contains("<option value=\"\(sheet.data.unitIDs[u])\">\(sheet.data.unitIDs[u]) \(sheet.data.names[u])</option>"))
            }
            #expect(r.text.components(separatedBy: "<section class=\"notice").count - 1 == sheet.unitCount)
        }
    }

    @Test func theUnitPageIsTheUnitsNotice() async throws {
        let fixture = try WorkbenchFixture()
        try await Self.get(fixture, "/unit?\(Self.query)&unit=GZ19") { r in
            Self.expectPage(r, fixture)
            #expect(r.text.contains("龙渠乡"))
            #expect(r.text.contains("考核结果告知书"))
            #expect(r.text.contains("study.csv"), "the input rows behind a rule")
            #expect(r.text.contains("<option value=\"GZ19\" selected=\"selected\">"))
        }
        try await Self.get(fixture, "/unit?\(Self.query)&unit=nobody") { r in
            Self.expectPage(r, fixture, status: .notFound)
            #expect(r.text.contains("data-code=\"unit.not-found\""))
        }
    }

    @Test func theWhatIfPageHasEveryLiteralAsAFieldAndTheRestReadOnly() async throws {
        let fixture = try WorkbenchFixture(root: try SmallRoot.make())
        try await Self.get(fixture, "/whatif?policy=policies/x/2026.lua&data=data") { r in
            Self.expectPage(r, fixture)
            #expect(r.text.contains("<input id=\"f-main-factor\" data-key=\"main\" data-path=\"factor\" type=\"text\" inputmode=\"decimal\" data-kind=\"number\" data-original=\"1\" value=\"1\"/>"))
            #expect(r.text.contains("data-key=\"main\" data-path=\"spin\" type=\"checkbox\" data-kind=\"bool\" data-original=\"false\""))
            #expect(r.text.contains("data-key=\"bands\" data-path=\"top.fraction\""))
            // BONUS is a local: shown, not editable, with the reason PolicySource gives
            #expect(!r.text.contains("data-path=\"bonus\""))
            #expect(r.text.contains("<code>bonus</code></label><span>3</span><span class=\"why\">只读: rule &#39;main&#39; params: bonus is `BONUS`"))
            #expect(r.text.contains("<script>"))
            #expect(r.text.contains("id=\"save-form\""))
        }
    }

    @Test func theWhatIfPageOfGanzhouOffersTheStudyThreshold() async throws {
        let fixture = try WorkbenchFixture()
        try await Self.get(fixture, "/whatif?\(Self.query)") { r in
            Self.expectPage(r, fixture)
            #expect(r.text.contains("data-key=\"study\" data-path=\"tiers[2].below\" type=\"text\" inputmode=\"decimal\" data-kind=\"number\" data-original=\"120\" value=\"120\""))
            #expect(r.text.contains("data-key=\"bands\" data-path=\"top20.fraction\""))
            #expect(!r.text.contains("data-path=\"bottom20-twice.fraction\""), "a history band has no fraction to edit")
        }
    }

    /// A data error: the page lists each diagnostic as the CLI does (location, message, hint), files named
    /// relative to the root.
    @Test func aDataErrorIsShownWithItsLocationAndHint() async throws {
        let root = try SmallRoot.make()
        try FileManager.default.createDirectory(atPath: root + "/bad", withIntermediateDirectories: true)
        try "unit_id,name,score\nA,甲,1\nB,乙,many\n".write(toFile: root + "/bad/units.csv", atomically: true, encoding: .utf8)
        let policy = try Assessment.policy(root + "/policies/x/2026.lua")
        let error = try #require(throws: DataError.self) { try Assessment.data(root + "/bad", policy: policy) }
        let fixture = try WorkbenchFixture(root: root)
        try await Self.get(fixture, "/score?policy=policies/x/2026.lua&data=bad") { r in
            Self.expectPage(r, fixture, status: .unprocessableContent)
            #expect(r.text.contains("data-code=\"data.invalid\""))
            for d in error.diagnostics {
                let location = d.location.replacingOccurrences(of: WorkbenchRoot.realpath(root)! + "/", with: "")
                #expect(location.hasPrefix("bad/units.csv:3"), "\(location)")
                #expect(r.text.contains("<td class=\"loc\">\(HTMLWriter.escape(location))</td>"))
                #expect(r.text.contains("<td>\(HTMLWriter.escape(d.message))</td><td>\(HTMLWriter.escape(d.hint ?? ""))</td>"))
            }
        }
    }

    static let refusals = [
        PageRefusal(uri: "/score?data=policies/ganzhou/sample-2023", status: .badRequest, code: "page.missing-query"),
        PageRefusal(uri: "/whatif?policy=../etc/passwd&data=policies/ganzhou/sample-2023", status: .forbidden, code: "path.outside-root"),
        PageRefusal(uri: "/unit?\(query)", status: .badRequest, code: "page.missing-query"),
        PageRefusal(uri: "/score?policy=policies/ganzhou/nope.lua&data=policies/ganzhou/sample-2023", status: .notFound, code: "path.not-found"),
        PageRefusal(uri: "/compare?old=policies/ganzhou/2023.lua&new=policies/ganzhou/2024.lua", status: .badRequest, code: "page.missing-query"),
    ]

    @Test(arguments: refusals)
    func aRefusedPageSaysWhy(_ c: PageRefusal) async throws {
        try await c.expect(try WorkbenchFixture())
    }

    @Test func theDiffAndComparePagesAreTheReports() async throws {
        let fixture = try WorkbenchFixture()
        let diff = "/diff?old=policies/ganzhou/2023.lua&new=policies/ganzhou/2024.lua&data=policies/ganzhou/sample-2024"
        try await Self.get(fixture, diff) { r in
            Self.expectPage(r, fixture)
            #expect(r.text.contains("考核办法变更：ganzhou-2023 → ganzhou-2024"))
        }
        let compare = "/compare?old=policies/ganzhou/2023.lua&new=policies/ganzhou/2024.lua&data=policies/ganzhou/sample-2024"
        try await Self.get(fixture, compare) { r in
            Self.expectPage(r, fixture)
            #expect(r.text.contains("ganzhou-2024"))
        }
    }

    @Test func thePolicyPageShowsCheckTestsAndTheDiffWithTheParent() async throws {
        let fixture = try WorkbenchFixture()
        try await Self.get(fixture, "/policy?policy=policies/ganzhou/2024.lua") { r in
            Self.expectPage(r, fixture)
            #expect(r.text.contains("<h2>检查（kaohe check）</h2>"))
            #expect(r.text.contains("<pre class=\"test-output\">policies/ganzhou/2024_test.lua → ganzhou-2024"))
            #expect(r.text.contains("考核办法变更：ganzhou-2023 → ganzhou-2024"), "2024 records 2023 as its parent")
            #expect(!r.text.contains(Repository.root), "files are named relative to the root")
        }
        // a parent that is not beside the policy: the page says so, with check and tests still there
        let root = TemporaryDirectory.make("kaohe-parent")
        try FileManager.default.createDirectory(atPath: root + "/p", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Repository.path("policies/ganzhou/2024.lua"), toPath: root + "/p/2024.lua")
        let alone = try WorkbenchFixture(root: root)
        try await Self.get(alone, "/policy?policy=p/2024.lua") { r in
            Self.expectPage(r, alone)
            #expect(r.text.contains("<h2>检查（kaohe check）</h2>"))
            #expect(r.text.contains("<p class=\"error\" data-code=\"path.not-found\">the parent policy &#39;p/2023.lua&#39; does not exist under the root</p>"))
        }
    }
}
