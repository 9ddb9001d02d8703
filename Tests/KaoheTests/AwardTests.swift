import Foundation
import Testing
@testable import Kaohe

/// Ranking and awards as documents write them: groups, one-vote vetoes, count bands with score lines and
/// `after`, `at_least` and `round`, and the document's rounding of the total — scored end to end.
@Suite struct AwardTests {
    /// A policy whose only rule gives each unit its `points` column; `fields` are added to the policy table.
    static func policy(_ fields: String, columns: String = "") -> String {
        """
        return {
          id = "awards", title = "评优", year = 2025,
          inputs = { units = { "unit_id: text", "name: text", "kind: enum(township, street)", "points: number",
                               "dues: number"\(columns) } },
          rules = { { id = "points", citation = "第一条", title = "得分", score = function(u) return u.points end } },
        \(fields)
        }
        """
    }

    /// units.csv rows "id,kind,points,dues" → a scoresheet.
    static func sheet(_ fields: String, _ rows: [String]) throws -> Scoresheet {
        let csv = "unit_id,name,kind,points,dues\n" + rows.map { r -> String in
            let c = r.split(separator: ",", omittingEmptySubsequences: false)
            return "\(c[0]),单位\(c[0]),\(c[1]),\(c[2]),\(c[3])"
        }.joined(separator: "\n") + "\n"
        let policy = try Support.policy(Self.policy(fields))
        return try Support.score(policy, Support.folder(["units.csv": csv]))
    }

    /// Unit id → its bands, in the sheet's order.
    static func bands(_ s: Scoresheet) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: (0..<s.unitCount).map { (s.data.unitIDs[$0], s.ranking.bands[$0]) })
    }

    static let veto = """
          vetoes = { { id = "dues", citation = "第九条", title = "团费收缴率低于90%", params = { below = 90 },
                       when = function(u, p) return u.dues < p.below, fmt("团费收缴率 %g%%", u.dues) end } },
        """

    @Test func aVetoedFirstPlaceGivesTheAwardToTheNext() throws {
        let s = try Self.sheet(Self.veto + """
          bands = { { id = "hongqi", label = "五四红旗团委", from = "top", count = 1, award = true },
                    { id = "first", label = "第一名", from = "top", count = 1 } },
        """, ["A,township,95,80", "B,township,90,95", "C,township,85,99"])
        let b = Self.bands(s)
        #expect(b["A"] == ["first"])          // still first, and in the band that is no award
        #expect(b["B"] == ["hongqi"])
        #expect(b["C"] == [])
        let a = s.data.index(ofUnit: "A")!
        #expect(s.ranking.rank[a] == 1)
        #expect(s.vetoes(of: a).map(\.veto.id) == ["dues"])
        #expect(s.vetoes(of: a).first?.note == "团费收缴率 80%")
        #expect(s.vetoes(of: s.data.index(ofUnit: "B")!).isEmpty)
    }

    @Test func groupsAreRankedAndBandedApart() throws {
        let s = try Self.sheet("""
          groups = { by = "kind", order = { "township", "street" }, labels = { township = "乡镇", street = "街道" } },
          bands = { { id = "top", label = "第一", from = "top", count = 1 }, { id = "bottom", label = "末位", from = "bottom", count = 1 } },
        """, ["S1,street,70,99", "T1,township,90,99", "S2,street,60,99", "T2,township,80,99", "T3,township,85,99"])
        #expect(s.order.map { s.data.unitIDs[$0] } == ["T1", "T3", "T2", "S1", "S2"])
        #expect(s.order.map { s.ranking.rank[$0] } == [1, 2, 3, 1, 2])
        #expect(s.order.map { s.group(of: $0)! } == ["township", "township", "township", "street", "street"])
        let b = Self.bands(s)
        #expect(b["T1"] == ["top"] && b["T2"] == ["bottom"] && b["S1"] == ["top"] && b["S2"] == ["bottom"] && b["T3"] == [])
    }

    @Test func afterCountsOnFromTheEarlierBandsPlacesEvenWhenItIsEmpty() throws {
        // 其后2名: places 2–3, whether or not the first band was awarded (its score line keeps everyone out)
        let s = try Self.sheet("""
          bands = { { id = "hongqi", label = "红旗", from = "top", count = 1, min_total = 99, award = true },
                    { id = "xianjin", label = "先进", from = "top", count = 2, after = "hongqi", min_total = 75, award = true } },
        """, ["A,township,95,99", "B,township,90,99", "C,township,80,99", "D,township,70,99"])
        let b = Self.bands(s)
        #expect(b["A"] == [] && b["B"] == ["xianjin"] && b["C"] == ["xianjin"] && b["D"] == [])
    }

    @Test func aScoreLineLeavesAPlaceEmptyRatherThanGivingItToTheNext() throws {
        let s = try Self.sheet("""
          bands = { { id = "xianjin", label = "先进", from = "top", count = 2, min_total = 85 } },
        """, ["A,township,90,99", "B,township,80,99", "C,township,70,99"])
        #expect(Self.bands(s) == ["A": ["xianjin"], "B": [], "C": []])
    }

    @Test func tiesAtAQuotaCutAreInTogetherAndSaidSo() throws {
        let s = try Self.sheet("""
          bands = { { id = "hongqi", label = "红旗", from = "top", count = 1 },
                    { id = "xianjin", label = "先进", from = "top", count = 2, after = "hongqi" } },
        """, ["A,township,90,99", "B,township,90,99", "C,township,80,99", "D,township,70,99"])
        let b = Self.bands(s)
        #expect(b["A"] == ["hongqi"] && b["B"] == ["hongqi"])
        // the tie took places 1 and 2: only place 3 is left for 先进
        #expect(b["C"] == ["xianjin"] && b["D"] == [])
        #expect(s.ranking.overfull == [RankingResult.Overfull(band: "hongqi", group: 0, places: 1, units: [0, 1])])
        #expect(s.notices.map(\.code) == ["band.tie-over-places"])
        #expect(s.notices[0].message == "band 'hongqi' (红旗) has 1 place but holds 2 units, tied at the cut: A 单位A, B 单位B")
    }

    @Test func aTieBreakSplitsATieAtTheCut() throws {
        let source = Self.policy("""
          tie_break = { "second" },
          bands = { { id = "hongqi", label = "红旗", from = "top", count = 1 } },
        """).replacingOccurrences(of: "rules = {", with: """
          rules = { { id = "second", title = "第二条", score = function(u) return u.dues / 100 end },
        """)
        let policy = try Support.policy(source)
        let csv = "unit_id,name,kind,points,dues\nA,甲,township,90,95\nB,乙,township,90,99\n"
        let s = try Support.score(policy, Support.folder(["units.csv": csv]))
        #expect(Self.bands(s) == ["A": [], "B": ["hongqi"]])
        #expect(s.notices.isEmpty)
    }

    @Test(arguments: [
        // (round, at_least, places in a group of 4 at 20%, of 7 at 30%)
        ("", "", 0, 2), ("round = \"ceil\",", "", 1, 3), ("round = \"nearest\",", "", 1, 2), ("", "at_least = 1,", 1, 2),
        ("", "at_least = 3,", 3, 3),
    ])
    func fractionPlacesRoundAsTheBandSays(round: String, atLeast: String, four: Int, seven: Int) throws {
        let band = Policy.Band(id: "b", label: "b", from: .top, fraction: 0.2, meaning: nil,
                               atLeast: Int(atLeast.filter(\.isNumber)), round: round.isEmpty ? nil : round.contains("ceil") ? .ceil : .nearest)
        #expect(RankingResult.places(of: band, groupSize: 4) == four)
        var thirty = band
        thirty.fraction = 0.3
        #expect(RankingResult.places(of: thirty, groupSize: 7) == seven)   // 2.1
    }

    @Test func anEmptyFractionBandIsWarnedAboutPerGroupWithTheAtLeastHint() throws {
        let s = try Self.sheet("""
          groups = { by = "kind", labels = { street = "街道" } },
          bands = { { id = "top20", label = "前20%", from = "top", fraction = 0.2 } },
        """, ["T1,township,90,99", "T2,township,80,99", "T3,township,70,99", "T4,township,60,99", "T5,township,50,99",
              "S1,street,70,99", "S2,street,60,99"])
        #expect(s.notices.map(\.code) == ["band.empty"])
        #expect(s.notices[0].message == "band 'top20' (前20%) holds no unit in group 'street' (街道): 20% of 2 units is 0.4, "
                + "which rounds down to 0; check the band's fraction for this number of units")
        #expect(s.notices[0].hint == "add at_least = 1 to the band if the document means at least one unit")
        #expect(Self.bands(s)["T1"] == ["top20"])
    }

    @Test(arguments: [
        // (points, decimals, rounding, expected total): exact decimals, never binary error
        ("58.865", 2, "half-up", "58.87"), ("58.865", 2, "half-even", "58.86"), ("58.875", 2, "half-even", "58.88"),
        ("-0.25", 1, "half-up", "-0.3"), ("92.3", 2, "half-up", "92.30"), ("92.4999", 0, "half-up", "92"),
        ("1.005", 2, "half-up", "1.01"), ("2.5", 0, "half-even", "2"), ("3.5", 0, "half-even", "4"),
    ])
    func totalsAreRoundedAsTheDocumentSays(points: String, decimals: Int, rounding: String, expected: String) throws {
        let s = try Self.sheet("total = { decimals = \(decimals), rounding = \"\(rounding)\" },", ["A,township,\(points),99"])
        #expect(s.totalText(s.totals[0]) == expected)
        #expect(s.exactTotals[0].description == points)
    }

    @Test func rankingUsesTheRoundedTotal() throws {
        // 90.04 and 90.01 are both 90.0 to one decimal: they tie
        let s = try Self.sheet("total = { decimals = 1 },", ["A,township,90.04,99", "B,township,90.01,99"])
        #expect(s.ranking.rank == [1, 1])
    }

    @Test func aUnitOutsideTheGroupsIsADataErrorAtItsLine() throws {
        let policy = try Support.policy(Self.policy("""
          groups = { by = "area", order = { "east", "west" } },
        """, columns: ", \"area: text\""))
        let csv = "unit_id,name,kind,points,dues,area\nA,甲,township,1,99,east\nB,乙,township,1,99,Weast\n"
        let error = #expect(throws: DataError.self) { try Support.score(policy, Support.folder(["units.csv": csv])) }
        let d = try #require(error?.diagnostics.first)
        #expect(d.code == "data.unknown-group" && d.line == 3)
        #expect(d.message == "unit 'B' has 'Weast', which is none of the policy's groups ('east', 'west') in column 'area', which groups the units")
    }

    @Test func aVetoThatReturnsNoBooleanIsAnError() throws {
        let policy = try Support.policy(Self.policy("""
          vetoes = { { id = "dues", title = "团费", when = function(u) if u.dues < 90 then return true end end } },
        """))
        let csv = "unit_id,name,kind,points,dues\nA,甲,township,1,99\n"
        let error = #expect(throws: PolicyError.self) { try Support.score(policy, Support.folder(["units.csv": csv])) }
        #expect(error?.diagnostics.first?.code == "veto.result")
        #expect(error?.diagnostics.first?.message == "veto 'dues' returned nil instead of true (vetoed) or false for unit A (甲)")
    }

    @Test(arguments: [
        ("bands = { { id = \"a\", from = \"top\", fraction = 0.2, count = 1 } },", "band.fraction-and-count"),
        ("bands = { { id = \"a\", from = \"top\", count = 0 } },", "band.bad-count"),
        ("bands = { { id = \"a\", from = \"top\", count = 1.5 } },", "band.bad-count"),
        ("bands = { { id = \"a\", from = \"top\", count = 1, at_least = 1 } },", "band.count-with-fraction-field"),
        ("bands = { { id = \"a\", from = \"top\", fraction = 0.2, round = \"up\" } },", "band.bad-round"),
        ("bands = { { id = \"a\", from = \"top\", fraction = 0.2, at_least = 0 } },", "band.bad-at-least"),
        ("bands = { { id = \"a\", from = \"top\", count = 1, min_total = 90, max_total = 80 } },", "band.min-above-max"),
        ("bands = { { id = \"a\", from = \"top\", count = 1, after = \"b\" }, { id = \"b\", from = \"top\", count = 1 } },", "band.bad-after"),
        ("bands = { { id = \"b\", from = \"bottom\", count = 1 }, { id = \"a\", from = \"top\", count = 1, after = \"b\" } },", "band.bad-after"),
        ("bands = { { id = \"b\", from = \"bottom\", count = 1 }, { id = \"h\", from = \"history\", band = \"b\", years = 2, fraction = 0.2 } },",
         "band.not-for-history"),
        ("bands = { { id = \"a\", from = \"top\", count = 1, award = \"yes\" } },", "band.field-type"),
        ("groups = { by = \"kind\", order = { \"township\" } },", "groups.missing-value"),
        ("groups = { by = \"kind\", order = { \"township\", \"street\", \"village\" } },", "groups.unknown-value"),
        ("groups = { by = \"points\" },", "groups.bad-column"),
        ("groups = { by = \"knid\" },", "groups.unknown-column"),
        ("groups = { order = { \"township\" } },", "groups.missing-field"),
        ("groups = { by = \"kind\", labels = { village = \"村\" } },", "groups.unknown-value"),
        ("groups = { by = \"kind\", lables = {} },", "groups.unknown-field"),
        ("total = { decimals = 7 },", "total.bad-decimals"),
        ("total = { decimals = 2, rounding = \"up\" },", "total.bad-rounding"),
        ("total = { places = 2 },", "total.missing-field"),
        ("vetoes = { { id = \"v\", title = \"t\" } },", "veto.missing-field"),
        ("vetoes = { { id = \"v\", title = \"t\", when = function() return false end, citaton = \"x\" } },", "veto.unknown-field"),
        ("vetoes = { { id = \"v\", title = \"t\", when = function() return false end }, { id = \"v\", title = \"t\", when = function() return false end } },",
         "veto.duplicate-id"),
        ("vetoes = { when = function() return false end },", "policy.field-type"),
    ])
    func aBadAwardFieldIsRefused(fields: String, code: String) {
        let error = #expect(throws: PolicyError.self) { try Support.policy(Self.policy(fields)) }
        #expect(error?.diagnostics.map(\.code).contains(code) == true, "\(error?.diagnostics.map(\.description) ?? [])")
    }
}
