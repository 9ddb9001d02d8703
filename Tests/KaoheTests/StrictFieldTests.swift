import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// A field kaohe does not know is an error, never silently ignored: in the policy and in every object it holds,
/// named with its line and the closest known name; `check` and `score` refuse it alike.
@Suite struct StrictFieldTests {
    static let ganzhou = try! String(contentsOfFile: Repository.path("policies/ganzhou/2023.lua"), encoding: .utf8)
    static let guangyuan = try! String(contentsOfFile: Repository.path("policies/guangyuan/2014.lua"), encoding: .utf8)

    /// The diagnostics of loading `source` (the policy edited), as `line: code: message`.
    static func problems(_ source: String) -> [String] {
        do {
            _ = try Support.policy(source)
            return []
        } catch let e as PolicyError {
            return e.diagnostics.map { "\($0.line ?? 0): \($0.code): \($0.message)" }
        } catch {
            return ["\(error)"]
        }
    }

    static func edit(_ source: String, _ old: String, _ new: String) -> String {
        precondition(source.contains(old), "fixture text not found: \(old)")
        return source.replacingOccurrences(of: old, with: new)
    }

    @Test(arguments: [
        // the fields a new user guessed for a grouped ranking
        ("  ranking = \"competition\",", "  ranking = \"competition\",\n  group_by = \"kind\",",
         "24: policy.unknown-field: unknown policy field 'group_by'; did you mean 'groups'?"),
        ("  ranking = \"competition\",", "  ranking = \"competition\",\n  veto = {},",
         "24: policy.unknown-field: unknown policy field 'veto'; did you mean 'vetoes'?"),
        ("  ranking = \"competition\",", "  ranking = \"competition\",\n  decimals = 2,",
         "24: policy.unknown-field: unknown policy field 'decimals'; did you mean 'total'?"),
        ("  ranking = \"competition\",", "  ranking = \"competition\",\n  tie_breaker = { \"study\" },",
         "24: policy.unknown-field: unknown policy field 'tie_breaker'; did you mean 'tie_break'?"),
        // a misspelt field gets the right one
        ("  base = 100,", "  bsae = 100,", "22: policy.unknown-field: unknown policy field 'bsae'; did you mean 'base'?"),
        ("{ id = \"bottom20\", label = \"后20%\", from = \"bottom\", fraction = 0.2 }",
         "{ id = \"bottom20\", label = \"后20%\", from = \"bottom\", fraction = 0.2, quota = 1 }",
         "26: band.unknown-field: band 'bottom20': unknown field 'quota'; did you mean 'count'?"),
        ("{ id = \"bottom20\", label = \"后20%\", from = \"bottom\", fraction = 0.2 }",
         "{ id = \"bottom20\", label = \"后20%\", from = \"bottom\", fraction = 0.2, minimum = 1 }",
         "26: band.unknown-field: band 'bottom20': unknown field 'minimum' (a band has: id, label, from, fraction, count, after, at_least, round, min_total, max_total, award, band, years, meaning)"),
        ("{ id = \"bottom20\", label = \"后20%\", from = \"bottom\", fraction = 0.2 }",
         "{ id = \"bottom20\", lable = \"后20%\", from = \"bottom\", fraction = 0.2 }",
         "26: band.unknown-field: band 'bottom20': unknown field 'lable'; did you mean 'label'?"),
        ("      citation = \"第十条\",", "      citation = \"第十条\", titel = \"x\",",
         "71: rule.unknown-field: rule 'smart_league': unknown field 'titel'; did you mean 'title'?"),
        ("      citation = \"第十条\",", "      article = \"第十条\",",
         "71: rule.unknown-field: rule 'smart_league': unknown field 'article'; did you mean 'citation'?"),
        ("    issued = \"2023-11-14\",", "    issued = \"2023-11-14\", author = \"团区委\",",
         "19: source.unknown-field: source: unknown field 'author' (a source has: title, issued, file, url)"),
        // a key that is not a name
        ("  base = 100,", "  base = 100, [1] = 5,", "22: policy.unknown-field: unknown policy field [1] (a policy has:"),
    ])
    func anUnknownFieldIsNamedWithItsLine(old: String, new: String, expected: String) {
        let found = Self.problems(Self.edit(Self.ganzhou, old, new))
        #expect(found.count == 1 && found[0].hasPrefix(expected), "\(found)")
    }

    @Test func selfCheckSectionAndParentFieldsAreStrictToo() {
        let selfcheck = Self.problems(Self.edit(Self.guangyuan, "completed = \"completed\", reason = \"reason\" }",
                                                "completed = \"completed\", reason = \"reason\", scroe = \"x\" }"))
        #expect(selfcheck.count == 1 && selfcheck[0].contains("selfcheck.unknown-field: selfcheck: unknown field 'scroe'; did you mean 'score'?"),
                "\(selfcheck)")
        let parent = Self.problems(Self.edit(Self.ganzhou, "  base = 100,", "  parent = { id = \"x\", sha = \"y\" },\n  base = 100,"))
        #expect(parent.count == 1 && parent[0].contains("parent.unknown-field: parent: unknown field 'sha'"), "\(parent)")
        let section = Self.problems(Self.edit(Self.ganzhou, "  base = 100,", "  sections = { { id = \"s\", title = \"S\", maximum = 5 } },\n  base = 100,"))
        #expect(section.count == 1 && section[0].contains("section.unknown-field: section 's': unknown field 'maximum'"), "\(section)")
    }

    @Test func checkAndScoreRefuseTheSamePolicy() throws {
        let dir = TemporaryDirectory.make()
        try Self.edit(Self.ganzhou, "  base = 100,", "  base = 100,\n  group_by = \"kind\",")
            .write(toFile: dir + "/p.lua", atomically: true, encoding: .utf8)
        let checked = PolicyCheck.check(path: dir + "/p.lua").filter { $0.severity == .error }
        let scored = #expect(throws: PolicyError.self) {
            try Assessment.score(policy: dir + "/p.lua", data: Repository.path("policies/ganzhou/sample-2023"))
        }
        #expect(checked.map(\.code) == ["policy.unknown-field"] && scored?.diagnostics == checked, "\(checked) \(String(describing: scored))")
    }

    @Test(arguments: ["policies/ganzhou/2023.lua", "policies/ganzhou/2024.lua", "policies/guangyuan/2014.lua"])
    func shippedPoliciesUseOnlyKnownFields(path: String) throws {
        _ = try PolicyLoader.load(path: Repository.path(path))
    }
}
