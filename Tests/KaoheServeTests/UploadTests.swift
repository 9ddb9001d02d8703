import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Kaohe
@testable import KaoheServe
import KaoheTestSupport
import Testing

/// `POST /api/upload`: files made into a new data set under `data/`, kept only if they load as the policy
/// reads them; every refusal leaves nothing behind.
@Suite struct UploadTests {
    /// The files of a folder of the repository as an upload's `files`.
    static func files(_ folder: String) throws -> [[String: String]] {
        let path = Repository.path(folder)
        return try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { name in
            ["name": name, "base64": try Data(contentsOf: URL(fileURLWithPath: path + "/" + name)).base64EncodedString()]
        }
    }

    static func upload(_ fixture: WorkbenchFixture, policy: String = "policies/ganzhou/2023.lua", name: String, files: [[String: String]],
                       headers: HTTPFields? = nil, _ check: @escaping @Sendable (TestResponse) throws -> Void) async throws {
        let body = WorkbenchFixture.body(["policy": policy, "name": name, "files": files])
        let sent = headers ?? fixture.csrfHeaders
        try await fixture.test { client in
            try await client.execute(uri: "/api/upload", method: .post, headers: sent, body: body) { try check($0) }
        }
    }

    /// What `data/` holds, hidden entries included.
    static func dataFolder(_ root: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root + "/data")) ?? []).sorted()
    }

    @Test func csvFilesThatLoadBecomeANewDataSet() async throws {
        let root = TemporaryDirectory.make("kaohe-upload")
        let fixture = try WorkbenchFixture(root: root)
        try FileManager.default.createDirectory(atPath: root + "/policies/ganzhou", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Repository.path("policies/ganzhou/2023.lua"), toPath: root + "/policies/ganzhou/2023.lua")
        let files = try Self.files("policies/ganzhou/sample-2023")
        try await Self.upload(fixture, name: "spring", files: files) { r in
            #expect(r.status == .created, "\(r.text)")
            #expect(r.json["path"] as? String == "data/spring")
            #expect(r.json["units"] as? Int == 23)
            #expect(r.json["page"] as? String == "/score?policy=policies/ganzhou/2023.lua&data=data/spring")
        }
        #expect(Self.dataFolder(root) == ["spring"], "no temporary folder left")
        for f in files {
            #expect(try Data(contentsOf: URL(fileURLWithPath: root + "/data/spring/" + f["name"]!)).base64EncodedString() == f["base64"])
        }
        try await PageTests.get(fixture, "/score?policy=policies/ganzhou/2023.lua&data=data/spring") { r in
            PageTests.expectPage(r, fixture)
        }
    }

    @Test func filledSelfCheckFormsAreReadAsTheyAreFromAFolder() async throws {
        let fixture = try WorkbenchFixture(root: try Self.rootWithGuangyuan())
        try await Self.upload(fixture, policy: "policies/guangyuan/2014.lua", name: "forms", files: try Self.files("policies/guangyuan/sample-2014-forms")) { r in
            #expect(r.status == .created, "\(r.text)")
            #expect(r.json["units"] as? Int == 7)
        }
    }

    static func rootWithGuangyuan() throws -> String {
        let root = TemporaryDirectory.make("kaohe-upload")
        try FileManager.default.createDirectory(atPath: root + "/policies/guangyuan", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Repository.path("policies/guangyuan/2014.lua"), toPath: root + "/policies/guangyuan/2014.lua")
        return root
    }

    /// A data error: refused with the loader's diagnostics, the file named as it would have been kept.
    @Test func dataThatDoesNotLoadIsRefusedWithItsLocations() async throws {
        let root = try SmallRoot.make()
        let fixture = try WorkbenchFixture(root: root)
        let csv = Data("unit_id,name,score\nA,甲,1\nB,乙,many\n".utf8).base64EncodedString()
        try await Self.upload(fixture, policy: "policies/x/2026.lua", name: "bad", files: [["name": "units.csv", "base64": csv]]) { r in
            #expect(r.status == .unprocessableContent)
            #expect(r.errorCode == "upload.invalid")
            let first = try #require(r.diagnostics.first)
            #expect(first["file"] as? String == "data/bad/units.csv")
            #expect(first["line"] as? Int == 3)
        }
        #expect(Self.dataFolder(root) == ["units.csv"], "nothing kept beside SmallRoot's own data")
    }

    struct Refusal: Sendable, CustomStringConvertible {
        var name: String
        var setName = "new"
        var files: [[String: String]] = [["name": "units.csv", "base64": Data("unit_id,name,score\nA,甲,1\n".utf8).base64EncodedString()]]
        var policy = "policies/x/2026.lua"
        var csrf = true
        var status: HTTPResponse.Status
        var code: String
        var description: String { name }
    }

    static let one = Data("x".utf8).base64EncodedString()
    static let refusals = [
        Refusal(name: "a data set that exists", setName: "taken", status: .conflict, code: "upload.exists"),
        Refusal(name: "a name that climbs", setName: "../x", status: .badRequest, code: "upload.bad-name"),
        Refusal(name: "a hidden name", setName: ".x", status: .badRequest, code: "upload.bad-name"),
        Refusal(name: "a file in a folder", files: [["name": "a/units.csv", "base64": one]], status: .badRequest, code: "upload.bad-file-name"),
        Refusal(name: "a file that is not csv or xlsx", files: [["name": "units.txt", "base64": one]], status: .badRequest, code: "upload.bad-file-name"),
        Refusal(name: "the same file twice", files: [["name": "units.csv", "base64": one], ["name": "UNITS.csv", "base64": one]],
                status: .badRequest, code: "upload.duplicate-file"),
        Refusal(name: "no files", files: [], status: .badRequest, code: "upload.no-files"),
        Refusal(name: "too many files", files: (0...UploadRequest.maxFiles).map { ["name": "t\($0).csv", "base64": one] },
                status: .contentTooLarge, code: "upload.too-many-files"),
        Refusal(name: "a policy outside the root", policy: "../x.lua", status: .forbidden, code: "path.outside-root"),
        Refusal(name: "no CSRF header", csrf: false, status: .forbidden, code: "csrf.missing"),
        Refusal(name: "not base64", files: [["name": "units.csv", "base64": "%%%"]], status: .badRequest, code: "request.bad-json"),
    ]

    /// An upload over the per-file size, and a body over the upload limit, are refused and keep nothing.
    @Test func oversizeUploadsAreRefused() async throws {
        let root = try SmallRoot.make()
        let fixture = try WorkbenchFixture(root: root)
        let big = Data(count: UploadRequest.maxFileBytes + 1).base64EncodedString()
        try await Self.upload(fixture, policy: "policies/x/2026.lua", name: "big", files: [["name": "units.csv", "base64": big]]) { r in
            #expect(r.status == .contentTooLarge, "\(r.text)")
            #expect(r.errorCode == "upload.file-too-large")
        }
        let body = ByteBuffer(repeating: 0x20, count: Workbench.maxUploadBody + 1)
        try await fixture.test { client in
            try await client.execute(uri: "/api/upload", method: .post, headers: fixture.csrfHeaders, body: body) { r in
                #expect(r.status == .contentTooLarge)
                #expect(r.errorCode == "request.too-large")
            }
        }
        #expect(Self.dataFolder(root) == ["units.csv"])
    }

    @Test(arguments: refusals)
    func aRefusedUploadKeepsNothing(_ c: Refusal) async throws {
        let root = try SmallRoot.make()
        try FileManager.default.createDirectory(atPath: root + "/data/taken", withIntermediateDirectories: true)
        let fixture = try WorkbenchFixture(root: root)
        try await Self.upload(fixture, policy: c.policy, name: c.setName, files: c.files, headers: c.csrf ? nil : [:]) { r in
            #expect(r.status == c.status, "\(r.text)")
            #expect(r.errorCode == c.code)
        }
        #expect(Self.dataFolder(root) == ["taken", "units.csv"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/data/taken").isEmpty)
    }

    @Test func theUploadPageHasTheFormAndItsScript() async throws {
        let fixture = try WorkbenchFixture()
        try await PageTests.get(fixture, "/upload?policy=policies/ganzhou/2023.lua") { r in
            PageTests.expectPage(r, fixture)
            #expect(r.text.contains("<form id=\"upload-form\" data-policy=\"policies/ganzhou/2023.lua\">"))
            #expect(r.text.contains("type=\"file\" name=\"files\" multiple=\"multiple\""))
        }
    }
}
