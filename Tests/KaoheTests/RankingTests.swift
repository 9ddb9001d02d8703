import Foundation
import Testing
@testable import Kaohe

@Suite struct RankingTests {
    static let bands = [
        Policy.Band(id: "top20", label: "前20%", from: .top, fraction: 0.2, meaning: nil),
        Policy.Band(id: "bottom20", label: "后20%", from: .bottom, fraction: 0.2, meaning: nil),
    ]

    func rank(_ totals: [Int], _ ranking: Policy.Ranking = .competition, ids: [String]? = nil) -> RankingResult {
        let ids = ids ?? totals.indices.map { "U\($0 + 10)" }
        return RankingResult(totals: totals.map { Points(integer: $0) }, unitIDs: ids, ranking: ranking, bands: Self.bands)
    }

    @Test func competitionRankingSkipsAfterTies() {
        let r = rank([90, 100, 100, 80])
        #expect(r.rank == [3, 1, 1, 4])
        #expect(r.order == [1, 2, 0, 3])
    }

    @Test func denseRankingDoesNotSkip() {
        let r = rank([90, 100, 100, 80], .dense)
        #expect(r.rank == [2, 1, 1, 3])
    }

    @Test func tiesAreListedByUnitID() {
        let r = rank([5, 5, 5], ids: ["B", "C", "A"])
        #expect(r.order == [2, 0, 1])
        #expect(r.rank == [1, 1, 1])
    }

    @Test func unitIDsCompareByCodePoint() {
        let r = rank([5, 5, 5], ids: ["b", "B", "乙"])
        #expect(r.order == [1, 0, 2])
    }

    @Test(arguments: [
        // (totals, expected top20, expected bottom20) — k = floor(0.2·N)
        ([10], [false], [false]),                                       // N=1: k=0, nobody
        ([40, 30, 20, 10], [false, false, false, false], [false, false, false, false]),  // N=4: k=0
        ([50, 40, 30, 20, 10], [true, false, false, false, false], [false, false, false, false, true]), // N=5: k=1
        ([50, 50, 30, 20, 10], [true, true, false, false, false], [false, false, false, false, true]),  // tie at the top: both in
        ([50, 40, 30, 10, 10], [true, false, false, false, false], [false, false, false, true, true]),  // tie at the bottom
        ([50, 40, 30, 20, 10, 5, 1, 0, -1, -2], [true, true, false, false, false, false, false, false, false, false], [false, false, false, false, false, false, false, false, true, true]),
        ([7, 7, 7, 7, 7], [true, true, true, true, true], [true, true, true, true, true]),  // all tied
    ])
    func bandsAtSmallN(totals: [Int], top: [Bool], bottom: [Bool]) {
        let r = rank(totals)
        #expect(r.bands.map { $0.contains("top20") } == top)
        #expect(r.bands.map { $0.contains("bottom20") } == bottom)
    }

    @Test func tiesAcrossTheCutOffAreInTogether() {
        // N = 23 → k = 4; ranks 1,2,3,4,4 → five units in top20
        var totals = [100, 99, 98, 97, 97]
        totals += Array(repeating: 50, count: 18)
        totals[22] = 10
        let r = rank(totals)
        #expect(r.bands.filter { $0.contains("top20") }.count == 5)
    }

    @Test func denseRankingBandsStillCountUnits() {
        // dense ranks 1,1,2,3,4 but the top band counts units strictly higher: only the two tied leaders
        let r = rank([10, 10, 9, 8, 7], .dense)
        #expect(r.rank == [1, 1, 2, 3, 4])
        #expect(r.bands.map { $0.contains("top20") } == [true, true, false, false, false])
    }

    @Test func bandCutOffIsExact() {
        #expect(Points.floorFraction(0.2, of: 23) == 4)
        #expect(Points.floorFraction(0.2, of: 5) == 1)
        #expect(Points.floorFraction(0.29, of: 100) == 29)   // 0.29 * 100 in floating point is 28.999…
        #expect(Points.floorFraction(0.7, of: 10) == 7)
    }
}

@Suite struct PointsTests {
    @Test func decimalsAddExactly() {
        let sum = Points(0.1) + Points(0.2)
        #expect(sum == Points(0.3))
        #expect(sum.description == "0.3")
    }

    @Test(arguments: [(148.0, "148"), (97.5, "97.5"), (-0.25, "-0.25"), (1.125, "1.125"), (0, "0"), (-7, "-7"), (2.000001, "2.000001")])
    func printsShortestExactDecimal(value: Double, text: String) {
        #expect(Points(value).description == text)
    }

    @Test func signedText() {
        #expect(Points(integer: 2).signed == "+2")
        #expect(Points(integer: -2).signed == "-2")
        #expect(Points.zero.signed == "0")
    }

    static let bandedSource = """
        return {
          id = "banded", title = "Banded", year = 2024, base = 0,
          bands = { { id = "top20", label = "前20%", from = "top", fraction = 0.2 },
                    { id = "bottom20", label = "后20%", from = "bottom", fraction = 0.2 } },
          inputs = { units = { "unit_id: text", "name: text", "a: number" } },
          rules = { { id = "a", citation = "第一条", title = "A", score = function(u) return u.a end } },
        }
        """

    func bandedSheet(_ rows: String) throws -> Scoresheet {
        try Support.score(try Support.policy(Self.bandedSource), Support.folder(["units.csv": "unit_id,name,a\n" + rows]))
    }

    @Test func unitsInBothTheTopAndTheBottomBandAreWarnedAbout() throws {
        // all five tie: each is both recommended and flagged, which the bands cannot resolve
        let tied = try bandedSheet("U1,甲,0\nU2,乙,0\nU3,丙,0\nU4,丁,0\nU5,戊,0\n")
        let conflict = try #require(tied.bandConflicts.first)
        #expect(tied.bandConflicts.count == 1)
        #expect(conflict.top.id == "top20" && conflict.bottom.id == "bottom20")
        #expect(conflict.units.map { tied.data.unitIDs[$0] } == ["U1", "U2", "U3", "U4", "U5"])
        let notice = try #require(tied.notices.first)
        #expect(notice.code == "band.tie-across-cutoffs" && notice.severity == .warning && tied.notices.count == 1)
        let warning = notice.compilerStyle
        #expect(warning.hasPrefix("warning: 5 units are in both 'top20' (前20%) and 'bottom20' (后20%): U1 甲, U2 乙, U3 丙, U4 丁, U5 戊."))
        // a tie at one cut-off only is not a conflict
        let apart = try bandedSheet("U1,甲,5\nU2,乙,5\nU3,丙,3\nU4,丁,2\nU5,戊,1\n")
        #expect(apart.bandConflicts.isEmpty && apart.notices.isEmpty)
    }

    @Test func aBandTooSmallForTheNumberOfUnitsIsWarnedAbout() throws {
        // 20% of 4 units is 0.8: both bands would be empty without a word
        let four = try bandedSheet("U1,甲,4\nU2,乙,3\nU3,丙,2\nU4,丁,1\n")
        #expect(four.notices.map(\.code) == ["band.empty", "band.empty"])
        #expect(four.notices.first?.compilerStyle == "warning: band 'top20' (前20%) holds no unit: 20% of 4 units is 0.8, which rounds "
                + "down to 0; check the band's fraction for this number of units; add at_least = 1 to the band if the document "
                + "means at least one unit", "\(four.notices)")
        #expect(four.ranking.bands.allSatisfy { $0.isEmpty })
        let five = try bandedSheet("U1,甲,5\nU2,乙,4\nU3,丙,3\nU4,丁,2\nU5,戊,1\n")
        #expect(five.notices.isEmpty)
    }

    @Test func longConflictListsNameTenUnits() throws {
        let rows = (1...12).map { "U\(String(format: "%02d", $0)),单位\($0),1\n" }.joined()
        let warning = try #require(try bandedSheet(rows).notices.first).message
        #expect(warning.contains("U10 单位10 and 2 more."))
        #expect(!warning.contains("U11"))
    }
}
