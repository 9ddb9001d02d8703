import Foundation
import Testing
@testable import Kaohe

/// Rule caps clamp a rule's points; section caps add an adjustment line; totals add up exactly.
@Suite struct CapsTests {
    static let source = """
        return {
          id = "caps", title = "Caps", year = 2024, base = 100,
          inputs = { units = { "unit_id: text", "name: text", "a: number", "b: number" } },
          sections = { { id = "bonus", title = "加分项", citation = "第五条", max = 10 } },
          rules = {
            { id = "a", citation = "第一条", title = "A", section = "bonus", max = 8, min = -3,
              score = function(u) return u.a, "a" end },
            { id = "b", citation = "第二条", title = "B", section = "bonus",
              score = function(u) return u.b end },
            { id = "c", citation = "第三条", title = "C", score = function(u) return 0.1 end },
            { id = "d", citation = "第四条", title = "D", score = function(u) return 0.2 end },
          },
        }
        """

    func sheet(_ rows: String) throws -> Scoresheet {
        let dir = Support.folder(["units.csv": "unit_id,name,a,b\n" + rows])
        return try Support.score(try Support.policy(Self.source), dir)
    }

    @Test func ruleCapsClampAndSectionCapAdjusts() throws {
        let s = try sheet("U1,甲,12,5\nU2,乙,-9,1\nU3,丙,4,4\n")
        // U1: a 12 → 8 (max), b 5, section 13 → 10 (adjust -3), c+d 0.3 → 110.3
        let u1 = s.items(of: 0)
        #expect(u1.map(\.rule) == ["a", "b", "c", "d", "section:bonus"])
        #expect(u1[0].points == Points(integer: 8))
        #expect(u1[0].raw == Points(integer: 12))
        #expect(u1[0].cap == "max 8")
        #expect(u1[4].points == Points(integer: -3))
        #expect(u1[4].cap == "max 10")
        #expect(s.totals[0].description == "110.3")
        // U2: a -9 → -3 (min), b 1, no section adjustment → 98.3
        #expect(s.items(of: 1)[0].cap == "min -3")
        #expect(s.items(of: 1).count == 4)
        #expect(s.totals[1].description == "98.3")
        // U3: within every cap
        #expect(s.items(of: 2).allSatisfy { $0.cap == nil })
        #expect(s.totals[2].description == "108.3")
    }

    @Test func jsonShowsCapsAndExactTotals() throws {
        let s = try sheet("U1,甲,12,5\n")
        let json = ScoreReport.render(s, format: .json)
        #expect(json.contains("\"total\": 110.3,"))
        #expect(json.contains("\"raw\": 12,\n"))
        #expect(json.contains("\"cap\": \"max 8\""))
        #expect(json.contains("\"rule\": \"section:bonus\""))
    }

    @Test func rulesReportShowsCapsAsRange() throws {
        let p = try Support.policy(Self.source)
        let json = RulesReport.render(p, format: .json)
        #expect(json.contains("\"min\": -3,\n      \"max\": 8,"))
        #expect(json.contains("\"id\": \"b\",\n      \"citation\": \"第二条\",\n      \"title\": \"B\",\n      \"min\": null,\n      \"max\": null,"))
    }
}
