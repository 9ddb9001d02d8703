import Foundation
import Testing
@testable import Kaohe
import LuaRuntime
import KaoheTestSupport

/// `kaohe check` finds each kind of problem, with its line, and nothing in the shipped policies.
@Suite struct PolicyCheckTests {
    static func check(limits: SandboxLimits = SandboxLimits(), _ edit: (String) -> String) throws -> [String] {
        let source = String(decoding: FileManager.default.contents(atPath: Repository.path("policies/ganzhou/2023.lua"))!, as: UTF8.self)
        let dir = TemporaryDirectory.make()
        try Data(edit(source).utf8).write(to: URL(fileURLWithPath: dir + "/p.lua"))
        return PolicyCheck.check(path: dir + "/p.lua", limits: limits).map { $0.compilerStyle.replacingOccurrences(of: dir + "/", with: "") }
    }

    @Test(arguments: ["policies/ganzhou/2023.lua", "policies/ganzhou/2024.lua"])
    func shippedPoliciesAreClean(path: String) {
        #expect(PolicyCheck.check(path: Repository.path(path)).isEmpty)
    }

    @Test(arguments: [
        ("      citation = \"第十条\",\n", "", "p.lua:74: warning: rule 'smart_league' has no citation"),
        ("        per_missing = -1,", "        per_missing = -1, spare = 2,", "p.lua:95: warning: param 'spare' of rule 'youth_home' is never used"),
        ("t:add_if(u.signage, p.signage", "t:add_if(u.sigange, p.signage", "p.lua:194: error: rule 'position' reads u.sigange, but the units table has no column 'sigange'"),
        ("tier_sum(u.study, \"rate\", p.tiers)", "tier_sum(u.study, \"ratee\", p.tiers)", "p.lua:65: error: tier_sum: table 'study' has no column 'ratee' (it has: unit_id, period, rate) in rule 'study'"),
        ("from = \"bottom\", fraction = 0.2 }", "from = \"bottom\", fraction = 0.9 }", "p.lua:24: error: bands 'top20' (top 20%) and 'bottom20' (bottom 90%) together take more than 100%"),
        ("id = \"smart_league\"", "id = \"study\"", "p.lua:75: error: duplicate rule id 'study'"),
        ("ranking = \"competition\"", "ranking = \"1234\"", "p.lua:1: error: unknown ranking '1234'"),
        ("      range = { 0, 15 },", "      min = 15, max = 0,", "p.lua:191: error: rule 'position': min 15 is greater than max 0"),
        ("  rules = {", "  rules = {{", "error: '}' expected"),
        // a rule that never returns, or grows without bound, fails on real data too: errors, not warnings
        ("return tier_sum(u.study, \"rate\", p.tiers)", "while true do end",
         "p.lua:66: error: on made-up sample data: time limit of 1 s exceeded"),
        ("return tier_sum(u.study, \"rate\", p.tiers)", "local t = {} while true do t[#t + 1] = string.rep('x', 1 << 20) .. #t end",
         "error: on made-up sample data: memory limit"),
    ])
    func findsEachProblem(old: String, new: String, expected: String) throws {
        // only the time-limit case may trip the time limit: on a loaded machine a memory test must not run out
        // of time before it runs out of memory
        let limits = expected.contains("time limit") ? SandboxLimits() : SandboxLimits(loadSeconds: 600, ruleSeconds: 600)
        let findings = try Self.check(limits: limits) { s in
            precondition(s.contains(old), "fixture text not found: \(old)")
            return s.replacingOccurrences(of: old, with: new)
        }
        #expect(findings.contains { $0.hasPrefix(expected) || $0.contains(expected) }, "\(findings)")
    }
}
