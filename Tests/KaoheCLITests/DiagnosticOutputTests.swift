import Foundation
import Testing
@testable import KaoheCLI
import KaoheTestSupport

/// Diagnostics as tools read them: one record per problem with a stable code, compiler-style text, and JSON
/// when the command runs with `--format json`.
@Suite(.serialized) struct DiagnosticOutputTests {
    struct Record: Decodable, Equatable {
        var file: String?
        var line: Int?
        var column: Int?
        var severity: String
        var code: String
        var message: String
        var hint: String?
    }

    struct Report: Decodable {
        var diagnostics: [Record]
        var omitted: Int
    }

    let dir: String

    init() throws {
        _ = FileManager.default.changeCurrentDirectoryPath(Repository.root)
        dir = TemporaryDirectory.make("kaohe-diagnostics")
        try FileManager.default.copyItem(atPath: "policies/ganzhou/sample-2023", toPath: dir + "/data")
        // a bad cell; and, in another copy, a missing table
        try FileManager.default.copyItem(atPath: "policies/ganzhou/sample-2023", toPath: dir + "/missing")
        try FileManager.default.removeItem(atPath: dir + "/missing/study.csv")
        let units = try String(contentsOfFile: dir + "/data/units.csv", encoding: .utf8)
        var lines = units.components(separatedBy: "\n")
        lines[1] = lines[1].replacingOccurrences(of: ",1,", with: ",x,")
        try lines.joined(separator: "\n").write(toFile: dir + "/data/units.csv", atomically: true, encoding: .utf8)
        // a policy with two problems the prelude finds
        let policy = try String(contentsOfFile: "policies/ganzhou/2023.lua", encoding: .utf8)
            .replacingOccurrences(of: "id = \"smart_league\"", with: "id = \"study\"")
            .replacingOccurrences(of: "ranking = \"competition\"", with: "ranking = \"1234\"")
        try policy.write(toFile: dir + "/bad.lua", atomically: true, encoding: .utf8)
    }

    func report(_ text: String) throws -> Report {
        try JSONDecoder().decode(Report.self, from: Data(text.utf8))
    }

    @Test func dataErrorsAsJSONHaveCodesAndLocations() throws {
        let r = KaoheCommand.capture(["score", "--policy", "policies/ganzhou/2023.lua", "--data", dir + "/data", "--format", "json"])
        #expect(r.code == 1 && r.out.isEmpty)
        let report = try report(r.err)
        let missing = KaoheCommand.capture(["score", "--policy", "policies/ganzhou/2023.lua", "--data", dir + "/missing", "--format", "json"])
        #expect(try self.report(missing.err).diagnostics.map(\.code) == ["data.missing-table"])
        #expect(report.diagnostics.contains { $0.code == "data.value" && $0.file?.hasSuffix("units.csv") == true && $0.line == 2 && $0.column == 18 },
                "\(report)")
        #expect(report.diagnostics.allSatisfy { $0.severity == "error" && !$0.code.isEmpty })
        // the same problems as text, compiler-style, one line each and a summary
        let text = KaoheCommand.capture(["score", "--policy", "policies/ganzhou/2023.lua", "--data", dir + "/data"])
        let shown = text.err.split(separator: "\n").map(String.init)
        #expect(shown.count == report.diagnostics.count + 1 && shown.last?.hasSuffix("nothing was scored.") == true, "\(shown)")
        for (line, d) in zip(shown, report.diagnostics) {
            #expect(line.hasPrefix((d.file ?? "") + (d.line.map { ":\($0)" } ?? "")), "\(line)")
            #expect(line.contains(": error: " + d.message))
        }
    }

    @Test func policyProblemsComeFromThePreludeAsRecords() throws {
        let r = KaoheCommand.capture(["check", "--format", "json", dir + "/bad.lua"])
        #expect(r.code == 1)
        let codes = try report(r.out).diagnostics.map(\.code)
        #expect(codes.sorted() == ["policy.unknown-ranking", "rule.duplicate-id"], "\(codes)")
        let text = KaoheCommand.capture(["check", dir + "/bad.lua"])
        #expect(text.err.contains("bad.lua:75: error: duplicate rule id 'study'"), "\(text.err)")
    }

    @Test func theCommandLineNamesTheFlagTheLibraryLeavesOut() throws {
        let slow = try String(contentsOfFile: "policies/ganzhou/2023.lua", encoding: .utf8)
            .replacingOccurrences(of: "return tier_sum(u.study, \"rate\", p.tiers)", with: "while true do end")
        try slow.write(toFile: dir + "/slow.lua", atomically: true, encoding: .utf8)
        let r = KaoheCommand.capture(["score", "--policy", dir + "/slow.lua", "--data", "policies/ganzhou/sample-2023",
                                      "--time-limit", "0.05", "--format", "json"])
        let d = try #require(try report(r.err).diagnostics.first)
        #expect(d.code == "sandbox.time-limit" && d.hint?.contains("--time-limit") == true, "\(d)")
        #expect(d.message.contains("time limit of 0.05 s exceeded in rule 'study'"), "\(d.message)")
    }
}
