import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// A policy's top-level `params` reach every rule as the third argument of `score(u, p, shared)`: read-only,
/// recorded by explain as `params.<path>`, and given by the test harness too.
@Suite struct SharedParamsTests {
    static let source = """
        return {
          id = "shared", title = "Shared", year = 2025, base = 0,
          params = { bonus = 5, tiers = { { below = 90, points = -2 } } },
          inputs = { units = { "unit_id: text", "name: text", "a: number" } },
          rules = {
            { id = "one", citation = "第一条", title = "One", params = { factor = 2 },
              score = function(u, p, shared) return u.a * p.factor + shared.bonus end },
            { id = "two", citation = "第二条", title = "Two",
              score = function(u, p, shared)
                if u.a < shared.tiers[1].below then return shared.tiers[1].points end
                return 0
              end },
          },
        }
        """

    static func data() -> String { Support.folder(["units.csv": "unit_id,name,a\nU1,甲,100\nU2,乙,10\n"]) }

    @Test func everyRuleReadsThePolicysParams() throws {
        let sheet = try Support.score(try Support.policy(Self.source), Self.data())
        let u1 = try #require(sheet.data.index(ofUnit: "U1")), u2 = try #require(sheet.data.index(ofUnit: "U2"))
        #expect(sheet.items(of: u1).map(\.points) == [Points(integer: 205), .zero])
        #expect(sheet.items(of: u2).map(\.points) == [Points(integer: 25), Points(integer: -2)])
    }

    @Test func explainNamesTheSharedParamsARuleRead() throws {
        let sheet = try Support.score(try Support.policy(Self.source), Self.data())
        let why = try Assessment.explain(sheet, unit: "U2")
        #expect(why.rules[0].params.map(\.path) == ["factor", "params.bonus"], "\(why.rules[0].params)")
        #expect(why.rules[1].params.map { "\($0.path)=\($0.value)" } == ["params.tiers.1.below=90", "params.tiers.1.points=-2"],
                "\(why.rules[1].params)")
    }

    @Test func sharedParamsAreReadOnly() throws {
        let writes = Self.source.replacingOccurrences(of: "return u.a * p.factor + shared.bonus",
                                                      with: "shared.bonus = 1 return 0")
        let error = #expect(throws: PolicyError.self) { try Support.score(try Support.policy(writes), Self.data()) }
        #expect(error?.message.contains("read-only") == true, "\(error?.message ?? "")")
    }

    @Test func theTestHarnessGivesThemToo() throws {
        let dir = TemporaryDirectory.make()
        try Self.source.write(toFile: dir + "/p.lua", atomically: true, encoding: .utf8)
        try "function test_shared() expect_points(score { unit = { a = 1 } }, 'one', 7) end\n"
            .write(toFile: dir + "/p_test.lua", atomically: true, encoding: .utf8)
        let run = try PolicyTestRun.run(testFile: dir + "/p_test.lua")
        #expect(run.results.map(\.status) == [.pass], "\(run.results.map { $0.message ?? "" })")
    }
}
