import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// `tie_break`: equal totals are ordered by rules' (or sections') points in turn ("总分相同的，依次比较第三条、
/// 第四条得分"); only units equal on all of them share a rank; bands follow the broken order; explain says which
/// key separated two units.
@Suite struct TieBreakTests {
    static func source(tieBreak: String = "tie_break = { \"c\", \"extra\" },", ranking: String = "competition") -> String {
        """
        return {
          id = "tb", title = "TB", year = 2025, base = 0, ranking = "\(ranking)",
          \(tieBreak)
          bands = { { id = "top", label = "前20%", from = "top", fraction = 0.2 } },
          sections = { { id = "extra", title = "加分", max = 5 } },
          inputs = { units = { "unit_id: text", "name: text", "a: number", "b: number", "c: number" } },
          rules = {
            { id = "a", citation = "第一条", title = "A", score = function(u) return u.a end },
            { id = "c", citation = "第三条", title = "C", score = function(u) return u.c end },
            { id = "b1", citation = "第四条", title = "B1", section = "extra", score = function(u) return u.b end },
            { id = "b2", citation = "第五条", title = "B2", section = "extra", score = function(u) return u.b end },
          },
        }
        """
    }

    // totals: U1 = 10+2+5(capped from 6) = 17, U2 = 12+0+4+... see rows; all five reach 17 or 16
    static let rows = """
        unit_id,name,a,b,c
        U1,甲,10,3,2
        U2,乙,13,2,0
        U3,丙,11,1,3
        U4,丁,12,1,2
        U5,戊,11,2,1
        """

    static func sheet(_ source: String = source()) throws -> Scoresheet {
        try Support.score(try Support.policy(source), Support.folder(["units.csv": rows + "\n"]))
    }

    func ranks(_ sheet: Scoresheet) -> [String: Int] {
        Dictionary(uniqueKeysWithValues: sheet.data.unitIDs.enumerated().map { ($1, sheet.ranking.rank[$0]) })
    }

    @Test func equalTotalsAreOrderedByTheKeysInTurn() throws {
        let sheet = try Self.sheet()
        // totals: U1 10+2+5 = 17 (the section caps 3+3 at 5), U2 13+0+4 = 17, U3 11+3+2 = 16, U4 12+2+2 = 16,
        // U5 11+1+4 = 16
        #expect(sheet.totals.map(\.description) == ["17", "17", "16", "16", "16"])
        // U1 and U2: c 2 > 0. U3, U4 and U5: c 3 > 2 > 1
        #expect(sheet.order.map { sheet.data.unitIDs[$0] } == ["U1", "U2", "U3", "U4", "U5"])
        #expect(ranks(sheet) == ["U1": 1, "U2": 2, "U3": 3, "U4": 4, "U5": 5])
        // the top 20% of five units is one unit: the tie at the top no longer takes both
        #expect(sheet.ranking.bands.map { $0.contains("top") } == [true, false, false, false, false])
        let without = try Self.sheet(Self.source(tieBreak: ""))
        #expect(ranks(without) == ["U1": 1, "U2": 1, "U3": 3, "U4": 3, "U5": 3])
        #expect(without.ranking.bands.map { $0.contains("top") } == [true, true, false, false, false])
    }

    @Test func theSecondKeyDecidesWhenTheFirstIsEqualAndSectionsCountWithinTheirCaps() throws {
        // U4 and U1 tie on c (2); the section 'extra' (capped at 5) decides: U1 5 > U4 2
        let rows = "unit_id,name,a,b,c\nU1,甲,10,3,2\nU4,丁,13,1,2\n"
        let sheet = try Support.score(try Support.policy(Self.source()), Support.folder(["units.csv": rows]))
        #expect(sheet.totals.map(\.description) == ["17", "17"])
        #expect(sheet.order.map { sheet.data.unitIDs[$0] } == ["U1", "U4"])
        let why = try Assessment.explain(sheet, unit: "U4")
        #expect(why.ties == [Explanation.Tie(unitID: "U1", name: "甲", key: "extra", mine: Points(integer: 2), theirs: Points(integer: 5))])
        let text = ExplainReport.render(why, sheet: sheet, format: .text)
        #expect(text.contains("与甲（U1）总分相同，按加分得分 2 < 5 排在其后"), "\(text)")
    }

    @Test func unitsEqualOnEveryKeyShareARankUnderEitherRanking() throws {
        let rows = "unit_id,name,a,b,c\nU1,甲,10,1,2\nU2,乙,10,1,2\nU3,丙,9,1,2\n"
        for ranking in ["competition", "dense"] {
            let sheet = try Support.score(try Support.policy(Self.source(ranking: ranking)), Support.folder(["units.csv": rows]))
            #expect(ranks(sheet) == ["U1": 1, "U2": 1, "U3": ranking == "dense" ? 2 : 3], "\(ranking)")
            let why = try Assessment.explain(sheet, unit: "U1")
            #expect(why.ties.map(\.key) == [nil])
            #expect(ExplainReport.render(why, sheet: sheet, format: .text).contains("与乙（U2）总分相同，名次并列"))
        }
    }

    @Test(arguments: [
        ("tie_break = { \"cc\" },", "tie_break names 'cc', which is no rule or section; did you mean 'c'?"),
        ("tie_break = { \"c\", \"c\" },", "tie_break names 'c' twice"),
        ("tie_break = { 3 },", "tie_break #1 must be a rule or section id (a string)"),
        ("tie_break = \"c\",", "policy field 'tie_break' must be a list of rule or section ids"),
    ])
    func badKeysAreRefused(tieBreak: String, expected: String) {
        let error = #expect(throws: PolicyError.self) { try Support.policy(Self.source(tieBreak: tieBreak)) }
        #expect(error?.diagnostics.count == 1 && error?.diagnostics.first?.message.hasPrefix(expected) == true,
                "\(String(describing: error))")
    }
}
