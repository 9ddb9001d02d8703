import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// Comparing within groups (分类排名) and across vetoes (一票否决), on the groups fixture: 2024 groups units by
/// `kind`, 2025 by `kind_2025` (中乡, T5, becomes a street), raises the veto's line from 90% to 95% (西乡, T2,
/// at 92%, is newly vetoed) and weighs 青年大学习 more.
extension ComparisonTests {
    static let fixtures = "Tests/KaoheCLITests/Fixtures/"

    static func groupSheets() throws -> (Scoresheet, Scoresheet) {
        let a = try PolicyLoader.load(path: Repository.path(fixtures + "groups-2024.lua"))
        let b = try PolicyLoader.load(path: Repository.path(fixtures + "groups-2025.lua"))
        let data = Repository.path(fixtures + "groups")
        return (try Support.score(a, data), try Support.score(b, data))
    }

    static func groupComparison() throws -> Comparison {
        let (a, b) = try groupSheets()
        return Comparison(a: Comparison.Side(a, label: "2024"), b: Comparison.Side(b, label: "2025"))
    }

    @Test func ranksMoveWithinTheUnitsGroup() throws {
        let c = try Self.groupComparison()
        // B's order: its groups in order, each by rank
        #expect(c.units.map(\.unit) == ["T2", "T1", "T3", "T4", "S1", "T5", "S2", "S3"])
        let t3 = try #require(c.units.first { $0.unit == "T3" })
        // 4th of five townships, then 3rd of four once 中乡 left them
        #expect(t3.a?.rank == 4 && t3.b?.rank == 3 && t3.a?.group == "township" && !t3.groupChanged)
        #expect(CompareReport.rank(t3) == "4→3" && CompareReport.rankMove(c, t3) == "4→3")
        let t5 = try #require(c.units.first { $0.unit == "T5" })
        #expect(t5.groupChanged && t5.a?.group == "township" && t5.b?.group == "street")
        #expect(CompareReport.rankMove(c, t5) == "乡镇 3→街道 2")
        #expect(CompareReport.groupText(c, t5) == "乡镇→街道")
        #expect(c.groupMoves.map(\.unit) == ["T5"])
        #expect(c.grouped)
    }

    @Test func bandEntriesAndExitsAreToldPerGroup() throws {
        let c = try Self.groupComparison()
        #expect(c.groupChanges.map(\.group) == ["township", "street"])
        #expect(c.groupChanges.map(\.label) == ["乡镇", "街道"])
        func change(_ group: String, _ band: String) -> Comparison.BandChange? {
            c.groupChanges.first { $0.group == group }?.bands.first { $0.band == band }
        }
        // 西乡 keeps first place in the townships but is vetoed, so 东乡 takes the award
        #expect(change("township", "hongqi")?.entered == ["T1"] && change("township", "hongqi")?.left == ["T2"])
        // 中乡 enters the streets' award in its new group; 新华街道 leaves it
        #expect(change("street", "hongqi")?.entered == ["T5"] && change("street", "hongqi")?.left == ["S2"])
        #expect(change("township", "last")?.entered == [] && change("street", "last")?.left == [])
        // over all groups, as before
        let all = try #require(c.bandChanges.first { $0.band == "hongqi" })
        #expect(all.entered == ["T1", "T5"] && all.left == ["T2", "S2"])
        let text = CompareReport.render(c, format: .table, language: .zh)
        #expect(text.contains("红旗团委（乡镇）：进入 T1 东乡；退出 T2 西乡\n"))
        #expect(text.contains("红旗团委（街道）：进入 T5 中乡；退出 S2 新华街道\n"))
        #expect(text.contains("组别变化：T5 中乡 乡镇→街道\n"))
    }

    @Test func aVetoGainedIsListedWithItsTitleAndNote() throws {
        let c = try Self.groupComparison()
        let t2 = try #require(c.units.first { $0.unit == "T2" })
        #expect(t2.vetoesGained == [VetoRecord.Hit(veto: VetoRecord(id: "dues", citation: "第九条", title: "团费收缴率低于95%"),
                                                   note: "团费收缴率 92%")])
        #expect(t2.vetoesLost.isEmpty && t2.bandsLeft == ["hongqi"])
        // 城关街道 is vetoed on both sides: nothing gained or lost
        let s1 = try #require(c.units.first { $0.unit == "S1" })
        #expect(s1.vetoesGained.isEmpty && s1.vetoesLost.isEmpty && s1.a?.vetoes.count == 1 && s1.b?.vetoes.count == 1)
        #expect(c.hasVetoes)
        let text = CompareReport.render(c, format: .table, language: .zh)
        #expect(text.contains("一票否决：新增 T2 西乡 第九条 团费收缴率低于95%（团费收缴率 92%）；解除 无\n"))
        // the other way round the veto is lifted, with the note it had
        let (a, b) = try Self.groupSheets()
        let back = Comparison(a: Comparison.Side(b, label: "2025"), b: Comparison.Side(a, label: "2024"))
        #expect(back.units.first { $0.unit == "T2" }?.vetoesLost.map(\.note) == ["团费收缴率 92%"])
        #expect(CompareReport.render(back, format: .table, language: .zh)
            .contains("一票否决：新增 无；解除 T2 西乡 第九条 团费收缴率低于95%（团费收缴率 92%）\n"))
    }

    @Test func totalsArePrintedWithEachSidesDecimals() throws {
        let c = try Self.groupComparison()
        let text = CompareReport.render(c, format: .table, language: .zh)
        #expect(text.contains("  102.50  106.60  +4.1  2→3"), "\(text)")
        #expect(CompareReport.render(c, format: .csv, language: .zh).contains("\r\nS2,新华街道,102.50,106.60,4.1,2,3,hongqi,,street,street,,,"))
    }

    @Test func withoutGroupsOneSectionHoldsEveryUnit() throws {
        let (a, b) = try Self.sheets()
        let c = Comparison(a: Comparison.Side(a, label: "a"), b: Comparison.Side(b, label: "b"))
        #expect(!c.grouped && !c.hasVetoes)
        #expect(c.groupChanges.count == 1 && c.groupChanges[0].group == nil && c.groupChanges[0].label == nil)
        #expect(c.groupChanges[0].bands.map(\.entered) == c.bandChanges.map(\.entered))
        #expect(c.groupChanges[0].bands.map(\.left) == c.bandChanges.map(\.left))
        #expect(c.units.allSatisfy { !$0.groupChanged && $0.a?.group == nil })
    }

    /// One policy with groups and one without: ranks on the ungrouped side are among all units, and the
    /// report says so instead of calling every unit's group changed.
    @Test func aSideWithoutGroupsIsNamed() throws {
        let (grouped, _) = try Self.groupSheets()
        let source = try String(contentsOfFile: Repository.path(Self.fixtures + "groups-2024.lua"), encoding: .utf8)
            .replacingOccurrences(of: "  groups = { by = \"kind\", order = { \"township\", \"street\" }, labels = { township = \"乡镇\", street = \"街道\" } },\n",
                                  with: "")
            .replacingOccurrences(of: "id = \"groups-2024\"", with: "id = \"plain-2024\"")
        let plain = try Support.score(try Support.policy(source), Repository.path(Self.fixtures + "groups"))
        #expect(plain.policy.groups == nil)
        let c = Comparison(a: Comparison.Side(plain, label: "plain"), b: Comparison.Side(grouped, label: "groups"))
        #expect(c.grouped && c.groupMoves.isEmpty)
        let text = CompareReport.render(c, format: .table, language: .zh)
        #expect(text.contains("注意：plain 不分组，其排名为全部单位中的名次\n"), "\(text)")
        #expect(!text.contains("组别变化"))
        // every unit is told under its group on the grouped side
        #expect(c.groupChanges.map(\.group) == ["township", "street"])
    }
}

extension ComparisonTests {
    /// With `total = { decimals = 1 }` a unit's change is the change of its rounded totals; what the rounding
    /// added is a key of its own, so the per-rule changes still add up to it, for scoresheets and stored runs.
    @Test func perRuleChangesAddUpWhenTotalsAreRounded() throws {
        func policy(_ id: String) -> String {
            """
            return { id = "\(id)", title = "取整", year = 2024, base = 0, total = { decimals = 1 },
              inputs = { units = { "unit_id: text", "name: text", "a: number", "b: number" } },
              rules = { { id = "points", citation = "第一条", title = "得分", score = function(u) return u.\(id) end } } }
            """
        }
        let data = Support.folder(["units.csv": "unit_id,name,a,b\nU1,甲,90.04,90.06\nU2,乙,80.25,80.24\n"])
        let a = try Support.score(try Support.policy(policy("a")), data), b = try Support.score(try Support.policy(policy("b")), data)
        let store = try RunStore(path: TemporaryDirectory.make() + "/h.sqlite")
        let runA = try #require(try store.run(try store.save(RunRecord(sheet: a, label: nil, createdAt: SyntheticRun.t0)).id))
        let runB = try #require(try store.run(try store.save(RunRecord(sheet: b, label: nil, createdAt: SyntheticRun.t0)).id))
        for c in [Comparison(a: Comparison.Side(a, label: "a"), b: Comparison.Side(b, label: "b")),
                  Comparison(a: Comparison.Side(runA, label: "a"), b: Comparison.Side(runB, label: "b"))] {
            let u1 = try #require(c.units.first { $0.unit == "U1" }), u2 = try #require(c.units.first { $0.unit == "U2" })
            // 90.0 → 90.1 and 80.3 → 80.2 (half-up)
            #expect(u1.delta.description == "0.1" && u2.delta.description == "-0.1")
            #expect(u1.byRule.map { "\($0.key) \($0.delta)" } == ["points 0.02", "rounding 0.08"])
            #expect(u2.byRule.map { "\($0.key) \($0.delta)" } == ["points -0.01", "rounding -0.09"])
            #expect(c.units.allSatisfy { u in u.byRule.reduce(Points.zero) { $0 + $1.delta } == u.delta })
            #expect(CompareReport.render(c, format: .table, language: .zh).contains("U1    甲    90.0  90.1  +0.1  1→1"))
        }
    }
}

extension ComparisonTests {
    /// The page of a grouped comparison: self-contained, one slope chart per group, a group and a vetoes
    /// column, the band changes told per group, the group change and the veto gained.
    @Test func theComparePageTellsGroupsAndVetoes() throws {
        let c = try Self.groupComparison()
        let html = CompareReport.render(c, format: .html, language: .zh)
        let tree = try HTMLTree(html)
        HTMLReportTests.expectSelfContained(html, tree)
        #expect(tree.all("h3").map(\.allText) == ["乡镇", "街道"])
        #expect(tree.all("svg", class: "chart").count == 3)   // two slope charts and the attribution chart
        let headers = tree.all("table", class: "compare").first?.all("th").map(\.allText) ?? []
        #expect(headers.first == "组别" && headers.contains("一票否决"))
        let items = tree.all("li").filter { $0.attributes["data-group"] != nil }
        #expect(items.map { "\($0.attributes["data-group"]!) \($0.attributes["data-band"]!)" }
            == ["township hongqi", "township last", "township last-twice", "street hongqi", "street last", "street last-twice"])
        #expect(tree.all("li", class: "group-changes").first?.allText == "组别变化：中乡 乡镇→街道")
        #expect(tree.all("li", class: "veto-changes").first?.allText == "一票否决：新增 西乡 第九条 团费收缴率低于95%（团费收缴率 92%）；解除 无")
    }
}
