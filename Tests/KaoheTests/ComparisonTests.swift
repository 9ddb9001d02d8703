import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// Comparing two policies: per-rule changes add up to each unit's change, and the diff sees the edits.
@Suite struct ComparisonTests {
    static func sheets() throws -> (Scoresheet, Scoresheet) {
        let a = try PolicyLoader.load(path: Repository.path("policies/ganzhou/2023.lua"))
        let b = try PolicyLoader.load(path: Repository.path("policies/ganzhou/2024.lua"))
        let data = Repository.path("policies/ganzhou/sample-2024")
        return (try Support.score(a, data), try Support.score(b, data))
    }

    @Test func perRuleChangesAddUpToTheTotalChange() throws {
        let (a, b) = try Self.sheets()
        let c = Comparison(a: Comparison.Side(a, label: "a"), b: Comparison.Side(b, label: "b"))
        #expect(c.units.count == 23)
        for u in c.units {
            let sum = u.byRule.reduce(Points.zero) { $0 + $1.delta }
            #expect(sum == u.delta, "\(u.unit)")
            #expect(u.delta == u.b!.total - u.a!.total)
        }
        // the new rule only ever takes points away; the capped rule never gains
        #expect(c.units.allSatisfy { u in u.byRule.first { $0.key == "late_reports" }.map { $0.delta < .zero } ?? true })
        #expect(c.units.contains { $0.byRule.contains { $0.key == "late_reports" } })
    }

    @Test func bandChangesMatchTheTwoRankings() throws {
        let (a, b) = try Self.sheets()
        let c = Comparison(a: Comparison.Side(a, label: "a"), b: Comparison.Side(b, label: "b"))
        for band in ["top20", "bottom20"] {
            let before = Set((0..<a.unitCount).filter { a.ranking.bands[$0].contains(band) }.map { a.data.unitIDs[$0] })
            let after = Set((0..<b.unitCount).filter { b.ranking.bands[$0].contains(band) }.map { b.data.unitIDs[$0] })
            let change = c.bandChanges.first { $0.band == band }!
            #expect(Set(change.entered) == after.subtracting(before))
            #expect(Set(change.left) == before.subtracting(after))
        }
    }

    @Test func identicalPoliciesChangeNothing() throws {
        let (a, _) = try Self.sheets()
        let c = Comparison(a: Comparison.Side(a, label: "a"), b: Comparison.Side(a, label: "a"))
        #expect(c.units.allSatisfy { $0.delta == .zero && $0.byRule.isEmpty })
        #expect(c.largestMovers().isEmpty)
    }

    @Test func diffFindsEveryEdit() throws {
        let a = try PolicyLoader.load(path: Repository.path("policies/ganzhou/2023.lua"))
        let b = try PolicyLoader.load(path: Repository.path("policies/ganzhou/2024.lua"))
        let d = PolicyDiff(old: a, new: b)
        let found = d.changes.map { "\($0.kind.rawValue) \($0.area) \($0.subject) \($0.field) \($0.old ?? "") → \($0.new ?? "")" }
        #expect(found.contains("changed rule study params.tiers[2].below 120 → 110"))
        #expect(found.contains("changed rule publicity max — → 20"))
        #expect(found.contains("changed rule events params.observation.city 5 → 6"))
        #expect(found.contains("added rule late_reports   → 月度工作报告按时报送"))
        #expect(found.contains("added input reports   → reports"))
        #expect(d.changedRuleIDs == ["study", "publicity", "events", "late_reports"])
        #expect(PolicyDiff(old: a, new: a).changes.isEmpty)
    }

    @Test func scoreFunctionEditsShowAsLines() throws {
        let a = try PolicyLoader.load(path: Repository.path("policies/ganzhou/2023.lua"))
        let source = String(decoding: a.sourceBytes, as: UTF8.self)
            .replacingOccurrences(of: "t:add_if(u.signage, p.signage", with: "t:add_if(u.signage and u.position_built, p.signage")
        let b = try Support.policy(source)
        let change = PolicyDiff(old: a, new: b).changes.first { $0.field == "score" }
        #expect(change?.subject == "position")
        #expect(change?.lines == [
            "- t:add_if(u.signage, p.signage, \"设计青年发展型县域标志标识\")",
            "+ t:add_if(u.signage and u.position_built, p.signage, \"设计青年发展型县域标志标识\")",
        ])
    }
}
