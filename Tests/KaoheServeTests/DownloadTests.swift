import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Kaohe
@testable import KaoheServe
import KaoheTestSupport
import Testing

/// `/download/…`: the bulletin, the xlsx and a blank self-check form, byte for byte what the library writes.
@Suite struct DownloadTests {
    static let ganzhou = "policy=policies/ganzhou/2023.lua&data=policies/ganzhou/sample-2023"
    static let guangyuan = "policy=policies/guangyuan/2014.lua&data=policies/guangyuan/sample-2014"

    static func download(_ uri: String, _ check: @escaping @Sendable (TestResponse) throws -> Void) async throws {
        try await PageTests.get(try WorkbenchFixture(), uri, check)
    }

    @Test func theBulletinAndTheXLSXAreTheReports() async throws {
        let sheet = try Assessment.score(policy: Repository.path("policies/ganzhou/2023.lua"), data: Repository.path("policies/ganzhou/sample-2023"))
        try await Self.download("/download/bulletin?\(Self.ganzhou)") { r in
            #expect(r.status == .ok)
            #expect(r.headers[.contentDisposition] == "attachment; filename=\"ganzhou-2023-bulletin.html\"")
            #expect(r.text == ScoreReport.render(sheet, format: .html), "the bulletin without the workbench's bar")
        }
        let xlsx = try XLSXScoreReport.workbook(sheet).data()
        try await Self.download("/download/xlsx?\(Self.ganzhou)") { r in
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(Data(r.body.readableBytesView) == xlsx)
        }
    }

    @Test func aBlankFormIsTheUnitsForm() async throws {
        let policy = try Assessment.policy(Repository.path("policies/guangyuan/2014.lua"))
        let data = try Assessment.data(Repository.path("policies/guangyuan/sample-2014"), policy: policy)
        let u = try Assessment.unit("GY02", in: data)
        let form = try SelfCheckForms.form(policy: policy, unitID: "GY02", unitName: data.names[u], data: data).workbook().data()
        try await Self.download("/download/form?\(Self.guangyuan)&unit=GY02") { r in
            #expect(r.status == .ok, "\(r.text.prefix(500))")
            #expect(r.headers[.contentDisposition] == "attachment; filename=\"guangyuan-2014-GY02.xlsx\"")
            #expect(Data(r.body.readableBytesView) == form)
        }
    }

    static let refusals = [
        PageRefusal(uri: "/download/form?\(ganzhou)&unit=GZ01", status: .unprocessableContent, code: "form.no-selfcheck"),
        PageRefusal(uri: "/download/form?\(guangyuan)", status: .badRequest, code: "page.missing-query"),
        PageRefusal(uri: "/download/form?\(guangyuan)&unit=nobody", status: .notFound, code: "unit.not-found"),
        PageRefusal(uri: "/download/pdf?\(ganzhou)", status: .notFound, code: "route.not-found"),
        PageRefusal(uri: "/download/xlsx?policy=../x.lua&data=policies/ganzhou/sample-2023", status: .forbidden, code: "path.outside-root"),
    ]

    @Test(arguments: refusals)
    func aRefusedDownloadIsAPageThatSaysWhy(_ c: PageRefusal) async throws {
        try await c.expect(try WorkbenchFixture())
    }
}
