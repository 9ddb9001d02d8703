import Foundation
import LuaRuntime
import Testing
@testable import Kaohe

/// Memory the Lua cap does not cover is bounded too: the notes the host keeps for a run. A 1,000-rule
/// policy used 404 MB of host memory on 23 units, and would have needed ~9 GB on 1,100, even for output
/// that shows no notes.
@Suite struct HostMemoryTests {
    /// `rules` rules that each return an 8 KiB note; `units` units.
    static func setup(rules: Int, units: Int) throws -> (Policy, Dataset) {
        let policy = try Support.policy("""
            local rules = {}
            for i = 1, \(rules) do
              rules[i] = { id = "r" .. i, citation = "第" .. i .. "条", title = "R" .. i,
                           score = function(u) return 1, string.rep("说", 2730) end }
            end
            return {
              id = "notes-test", title = "Notes", year = 2024, base = 0,
              inputs = { units = { "unit_id: text", "name: text" } },
              rules = rules,
            }
            """)
        let csv = "unit_id,name\n" + (0..<units).map { "U\($0),单位\($0)\n" }.joined()
        let dir = Support.folder(["units.csv": csv])
        return (policy, try DatasetLoader.load(policy: policy, path: dir))
    }

    /// 100 rules × 200 units × 8 KiB is 160 MB of notes: past the 128 MB budget, the run fails with the
    /// same message whatever the number of workers; without notes (CSV, table) nothing is kept and it scores.
    @Test func notesPastTheBudgetFailTheRunTheSameWayWhateverTheJobs() throws {
        let (policy, data) = try Self.setup(rules: 100, units: 200)
        var messages: [String] = []
        for jobs in [1, 2, 1] {
            let error = #expect(throws: PolicyError.self) {
                try Scorer.score(policy: policy, data: data, options: .init(jobs: jobs, notes: true))
            }
            messages.append(error?.message ?? "")
        }
        #expect(Set(messages).count == 1, "\(messages)")
        #expect(messages[0].contains("the notes the 100 rules return for the first 200 of 200 units already take more than 128 MB"),
                "\(messages[0])")
        #expect(messages[0].contains("score without them") && !messages[0].contains("--format"))
        let sheet = try Scorer.score(policy: policy, data: data, options: .init(jobs: 2, notes: false))
        #expect(sheet.totals.allSatisfy { $0 == Points(integer: 100) })
        #expect(sheet.items(of: 0).allSatisfy { $0.note.isEmpty })
    }

    /// Below the budget every note is kept whole.
    @Test func notesBelowTheBudgetAreKept() throws {
        let (policy, data) = try Self.setup(rules: 10, units: 30)
        let sheet = try Scorer.score(policy: policy, data: data, options: .init(jobs: 2, notes: true))
        #expect(sheet.items(of: 29).allSatisfy { $0.note.count == 2730 })
    }
}
