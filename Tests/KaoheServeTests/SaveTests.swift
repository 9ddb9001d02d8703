import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Kaohe
@testable import KaoheServe
import KaoheTestSupport
import Testing

/// `POST /api/save`: the edits written as next year's policy, exactly as `kaohe new` derives it from the
/// edited text, its tests copied; and every refusal, after which nothing is written.
@Suite struct SaveTests {
    static let study = ["study": ["tiers[2].below": 110]]

    /// `kaohe diff` of Ganzhou 2023 and the 2026 saved with the study threshold at 110: what `kaohe new`
    /// changes (id, year, parent) and the one edit.
    static let studyAt110As2026 = ["metadata  id: ganzhou-2023 → ganzhou-2026", "metadata  year: 2023 → 2026",
                                   "metadata  parent: — → ganzhou-2023", "rule study params.tiers[2].below: 120 → 110"]

    /// `PolicyDiff`'s changes, one line each: area, subject, field, old → new.
    static func changes(_ old: Policy, _ new: Policy) -> [String] {
        PolicyDiff(old: old, new: new).changes.map { "\($0.area) \($0.subject) \($0.field): \($0.old ?? "—") → \($0.new ?? "—")" }
    }

    /// A root with Ganzhou 2023, its tests and sample data, as the repository has them.
    static func ganzhouRoot() throws -> String {
        let root = TemporaryDirectory.make("kaohe-save")
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/policies/ganzhou", withIntermediateDirectories: true)
        for name in ["2023.lua", "2023_test.lua", "sample-2023"] {
            try fm.copyItem(atPath: Repository.path("policies/ganzhou/" + name), toPath: root + "/policies/ganzhou/" + name)
        }
        return root
    }

    static func save(_ fixture: WorkbenchFixture, policy: String = "policies/ganzhou/2023.lua", data: String? = "policies/ganzhou/sample-2023",
                     params: [String: [String: Any]] = study, year: Any = 2026, _ check: @escaping @Sendable (TestResponse) throws -> Void) async throws {
        var request: [String: Any] = ["policy": policy, "params": params, "year": year]
        if let data { request["data"] = data }
        let body = WorkbenchFixture.body(request)
        try await fixture.test { client in
            try await client.execute(uri: "/api/save", method: .post, headers: fixture.csrfHeaders, body: body) { try check($0) }
        }
    }

    /// The folder's file names (temporary files included).
    static func names(_ root: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/policies/ganzhou")) ?? []).sorted()
    }

    @Test func savingWritesTheEditedPolicyAsKaoheNewWouldAndCopiesItsTests() async throws {
        let root = try Self.ganzhouRoot()
        let fixture = try WorkbenchFixture(root: root)
        try await Self.save(fixture) { r in
            #expect(r.status == .created, "\(r.text)")
            #expect(r.json["path"] as? String == "policies/ganzhou/2026.lua")
            #expect(r.json["tests"] as? String == "policies/ganzhou/2026_test.lua")
            #expect(r.json["tests_kept"] as? Bool == false)
            #expect(r.json["page"] as? String == "/policy?policy=policies/ganzhou/2026.lua&data=policies/ganzhou/sample-2023")
        }
        #expect(Self.names(root) == ["2023.lua", "2023_test.lua", "2026.lua", "2026_test.lua", "sample-2023"], "no temporary file left")
        // the text: the 2023 file with the one literal replaced, then derived as `kaohe new` derives it
        let original = try PolicyLoader.load(path: root + "/policies/ganzhou/2023.lua")
        let edited = try String(contentsOfFile: root + "/policies/ganzhou/2023.lua", encoding: .utf8)
            .replacingOccurrences(of: "{ below = 120, points = 0", with: "{ below = 110, points = 0")
        let expected = try PolicyDerivation.derive(from: original, text: Array(edited.utf8), year: 2026,
                                                   parentPath: "policies/ganzhou/2023.lua", target: "policies/ganzhou/2026.lua")
        let saved = try String(contentsOfFile: root + "/policies/ganzhou/2026.lua", encoding: .utf8)
        #expect(saved == expected)
        let new = try PolicyLoader.load(path: root + "/policies/ganzhou/2026.lua")
        #expect(new.parent == Policy.Parent(id: "ganzhou-2023", sha256: original.sha256, file: "2023.lua"))
        #expect(Self.changes(original, new) == Self.studyAt110As2026)
        let tests = try String(contentsOfFile: root + "/policies/ganzhou/2026_test.lua", encoding: .utf8)
        let parentTests = try String(contentsOfFile: root + "/policies/ganzhou/2023_test.lua", encoding: .utf8)
        #expect(tests.hasPrefix("-- kaohe new: copied from policies/ganzhou/2023_test.lua with 2026.lua."))
        #expect(tests.hasSuffix(parentTests))
        // the page it leads to: check, the tests (one pins the old threshold and fails), the diff
        try await PageTests.get(fixture, "/policy?policy=policies/ganzhou/2026.lua&data=policies/ganzhou/sample-2023") { r in
            PageTests.expectPage(r, fixture)
            #expect(r.text.contains("FAIL  test_study_rate_119_99_scores_nothing"))
            #expect(r.text.contains("考核办法变更：ganzhou-2023 → ganzhou-2026"))
            #expect(r.text.contains("params.tiers[2].below"))
        }
    }

    @Test func anExistingPolicyIsNeverOverwritten() async throws {
        let root = try Self.ganzhouRoot()
        let fixture = try WorkbenchFixture(root: root)
        try "-- someone's 2026\nreturn {}\n".write(toFile: root + "/policies/ganzhou/2026.lua", atomically: true, encoding: .utf8)
        try await Self.save(fixture) { r in
            #expect(r.status == .conflict)
            #expect(r.errorCode == "save.exists")
            #expect((r.json["error"] as? NSDictionary)?["message"] as? String
                    == "policies/ganzhou/2026.lua already exists; the workbench never overwrites a policy (choose another year, or remove the file)")
        }
        #expect(try String(contentsOfFile: root + "/policies/ganzhou/2026.lua", encoding: .utf8) == "-- someone's 2026\nreturn {}\n")
        #expect(Self.names(root) == ["2023.lua", "2023_test.lua", "2026.lua", "sample-2023"])
    }

    @Test func anExistingTestFileIsKept() async throws {
        let root = try Self.ganzhouRoot()
        try "return {}\n".write(toFile: root + "/policies/ganzhou/2026_test.lua", atomically: true, encoding: .utf8)
        let fixture = try WorkbenchFixture(root: root)
        try await Self.save(fixture) { r in
            #expect(r.status == .created, "\(r.text)")
            #expect(r.json["tests_kept"] as? Bool == true)
        }
        #expect(try String(contentsOfFile: root + "/policies/ganzhou/2026_test.lua", encoding: .utf8) == "return {}\n")
    }

    struct Refusal: Sendable, CustomStringConvertible {
        var name: String
        var policy = "policies/ganzhou/2023.lua"
        var year: String = "2026"
        var params: String = #"{"study": {"tiers[2].below": 110}}"#
        var csrf: String?? = .none
        var status: HTTPResponse.Status
        var code: String
        var description: String { name }
    }

    static let refusals = [
        Refusal(name: "two-digit year", year: "26", status: .badRequest, code: "save.bad-year"),
        Refusal(name: "five-digit year", year: "20266", status: .badRequest, code: "save.bad-year"),
        Refusal(name: "year as text of 2 digits", year: #""26""#, status: .badRequest, code: "save.bad-year"),
        Refusal(name: "year with a fraction", year: "2026.5", status: .badRequest, code: "save.bad-year"),
        Refusal(name: "year of letters", year: #""abcd""#, status: .badRequest, code: "save.bad-year"),
        Refusal(name: "leading zero", year: "\"0999\"", status: .badRequest, code: "save.bad-year"),
        Refusal(name: "policy outside the root", policy: "../../etc/passwd", status: .forbidden, code: "path.outside-root"),
        Refusal(name: "absolute policy path", policy: "/etc/passwd", status: .forbidden, code: "path.outside-root"),
        Refusal(name: "no CSRF header", csrf: .some(nil), status: .forbidden, code: "csrf.missing"),
        Refusal(name: "wrong CSRF header", csrf: "0123456789abcdef0123456789abcdef", status: .forbidden, code: "csrf.bad"),
        Refusal(name: "an invalid value", params: #"{"bands": {"top20.fraction": 2}}"#, status: .unprocessableContent, code: "edit.invalid"),
        Refusal(name: "a value that is not a literal", params: #"{"publicity": {"nope": 1}}"#, status: .unprocessableContent, code: "edit.unknown-param"),
    ]

    @Test(arguments: refusals)
    func aRefusedSaveWritesNothing(_ c: Refusal) async throws {
        let root = try Self.ganzhouRoot()
        let fixture = try WorkbenchFixture(root: root)
        var headers: HTTPFields = [:]
        switch c.csrf {
        case .none: headers = fixture.csrfHeaders
        case .some(nil): break
        case .some(let value?): headers[WorkbenchRouter.csrfHeader] = value
        }
        let body = ByteBuffer(string: #"{"policy": "\#(c.policy)", "params": \#(c.params), "year": \#(c.year)}"#)
        let sent = headers
        try await fixture.test { client in
            try await client.execute(uri: "/api/save", method: .post, headers: sent, body: body) { r in
                #expect(r.status == c.status, "\(r.text)")
                #expect(r.errorCode == c.code)
            }
        }
        #expect(Self.names(root) == ["2023.lua", "2023_test.lua", "sample-2023"])
    }

    /// `policies/<jurisdiction>` a symbolic link out of the root: refused, and nothing is written there.
    @Test func aJurisdictionFolderLeadingOutOfTheRootIsRefused() async throws {
        let root = TemporaryDirectory.make("kaohe-save")
        let outside = TemporaryDirectory.make("kaohe-outside")
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/src", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: root + "/policies", withIntermediateDirectories: true)
        try fm.copyItem(atPath: Repository.path("policies/ganzhou/2023.lua"), toPath: root + "/src/2023.lua")
        try fm.createSymbolicLink(atPath: root + "/policies/ganzhou", withDestinationPath: outside)
        let fixture = try WorkbenchFixture(root: root)
        try await Self.save(fixture, policy: "src/2023.lua", data: nil) { r in
            #expect(r.status == .forbidden, "\(r.text)")
            #expect(r.errorCode == "path.outside-root")
        }
        #expect(try fm.contentsOfDirectory(atPath: outside).isEmpty)
    }
}
