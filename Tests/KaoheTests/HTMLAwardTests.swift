import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// The bulletin of a policy with groups, a one-vote veto, quota bands with score lines, a tie at a quota,
/// tie-break keys and totals to two decimals (Tests/KaoheCLITests/Fixtures/awards-policy.lua): a section,
/// a table and a chart per group, and no line or list that names a unit the results do not put there.
@Suite struct HTMLAwardTests {
    static func awards() throws -> Scoresheet {
        let policy = try PolicyLoader.load(path: Repository.path("Tests/KaoheCLITests/Fixtures/awards-policy.lua"))
        return try Support.score(policy, Repository.path("Tests/KaoheCLITests/Fixtures/awards"))
    }

    static func page(_ sheet: Scoresheet, language: Language? = nil) throws -> HTMLTree {
        let html = ScoreReport.render(sheet, format: .html, language: language)
        let tree = try HTMLTree(html)
        HTMLReportTests.expectSelfContained(html, tree)
        return tree
    }

    static func group(_ tree: HTMLTree, _ id: String) throws -> HTMLTree.Node {
        try #require(tree.all("section", class: "group").first { $0.attributes["data-group"] == id })
    }

    static func rows(_ node: HTMLTree.Node) -> [HTMLTree.Node] {
        node.all("table", class: "ranking").first?.all("tr").filter { $0.attributes["data-unit"] != nil } ?? []
    }

    /// The chart's cut-off labels, top to bottom.
    static func cutoffLabels(_ chart: HTMLTree.Node) -> [String] {
        chart.all("text").map(\.allText).filter { $0.contains("分数线") && !$0.contains("规定") }
    }

    @Test func eachGroupHasItsHeadingTableRanksAndBandSummary() throws {
        let tree = try Self.page(try Self.awards())
        let groups = tree.all("section", class: "group")
        #expect(groups.map { $0.attributes["data-group"]! } == ["township", "street"])
        #expect(groups.map { $0.all("h3").first!.allText } == ["乡镇 · 6 个单位", "街道 · 3 个单位"])
        let township = Self.rows(try Self.group(tree, "township")), street = Self.rows(try Self.group(tree, "street"))
        #expect(township.map { $0.attributes["data-unit"]! } == ["T1", "T2", "T3", "T4", "T5", "T6"])
        #expect(street.map { $0.attributes["data-unit"]! } == ["S1", "S2", "S3"])
        // ranks within the group; totals with exactly two decimals
        #expect(township.map { $0.all("td")[0].allText } == ["1", "2", "3", "4", "4", "6"])
        #expect(street.map { $0.all("td")[0].allText } == ["1", "2", "3"])
        #expect(township.map { $0.all("td")[3].allText } == ["95.50", "92.30", "88.13", "87.00", "87.00", "68.00"])
        #expect(street.map { $0.all("td")[3].allText } == ["92.00", "92.00", "68.00"])
        // each group's own band summary: places, score line and the holders
        let hongqi = try #require(try Self.group(tree, "township").all("li").first { $0.attributes["data-band"] == "hongqi" })
        #expect(hongqi.all("span", class: "band-facts").first?.allText == "（名额 1、分数线 ≥ 85.00）")
        #expect(hongqi.all("a").map(\.allText) == ["西镇"])
        let xianjin = try #require(try Self.group(tree, "street").all("li").first { $0.attributes["data-band"] == "xianjin" })
        #expect(xianjin.allText.hasPrefix("先进团委1 个单位（名额 2、分数线 ≥ 75.00）"))
        #expect(xianjin.all("a").map(\.allText) == ["城西街道"])
        // a fraction band has no quota to state
        let bottom = try #require(try Self.group(tree, "township").all("li").first { $0.attributes["data-band"] == "bottom20" })
        #expect(bottom.all("span", class: "band-facts").isEmpty)
    }

    @Test func aVetoedFirstPlaceIsListedWithItsReasonMarkedAndHoldsNoAward() throws {
        let tree = try Self.page(try Self.awards())
        let township = try Self.group(tree, "township")
        let vetoes = township.all("ul", class: "vetoes").first?.all("li") ?? []
        #expect(vetoes.map { $0.attributes["data-unit"]! } == ["T1"])
        #expect(vetoes.first?.allText == "一票否决：东镇（T1）第九条 团费收缴率低于90%（团费收缴率 80%）；取消评优资格")
        #expect(try Self.group(tree, "street").all("ul", class: "vetoes").isEmpty)
        let t1 = try #require(Self.rows(township).first)
        #expect(t1.classes.contains("vetoed"))
        #expect(t1.all("span", class: "band").isEmpty)
        #expect(t1.all("td", class: "veto").first?.allText == "取消评优资格第九条 团费收缴率低于90%")
        // the award went to the next eligible unit, and the summary says so
        let hongqi = try #require(township.all("li").first { $0.attributes["data-band"] == "hongqi" })
        #expect(!hongqi.allText.contains("东镇"))
        let notice = try #require(tree.all("section", class: "notice").first { $0.attributes["data-unit"] == "T1" })
        #expect(notice.all("p", class: "veto-line").map(\.allText) == ["一票否决：第九条 团费收缴率低于90%（团费收缴率 80%）；取消评优资格"])
        #expect(notice.all("p", class: "band-line").isEmpty)
    }

    @Test func eachGroupsChartDrawsBandLinesFromTheBandsHoldersOnly() throws {
        let sheet = try Self.awards()
        let tree = try Self.page(sheet)
        let charts = tree.all("svg", class: "chart")
        #expect(charts.count == 2)
        #expect(charts.map { $0.all("title").first!.allText } == ["示例街道乡镇团委评优 2025 · 总分 · 乡镇", "示例街道乡镇团委评优 2025 · 总分 · 街道"])
        // 五四红旗团委 is T2's 92.30, never the vetoed T1's 95.50; a bar per unit of the group
        #expect(Self.cutoffLabels(charts[0]) == ["五四红旗团委 分数线 ≥ 92.30", "先进团委 分数线 ≥ 87.00 · 后20% 分数线 ≤ 68.00"])
        #expect(!Self.cutoffLabels(charts[0]).joined().contains("95.5"))
        #expect(charts[0].all("rect").count == 6 && charts[1].all("rect").count == 3)
        #expect(charts[0].all("rect", class: "vetoed").map { $0.allText } == ["东镇 95.50 · 取消评优资格"])
        // S2 has S1's total and lost the place on 第二条: the line says so
        #expect(Self.cutoffLabels(charts[1]) == ["五四红旗团委 分数线 ≥ 92.00（总分相同时依次比较 第二条）", "先进团委 分数线 ≥ 92.00"])
        // the declared score lines, in each group's chart
        for chart in charts {
            #expect(chart.all("line", class: "score-line").count == 2)
            #expect(chart.all("text").map(\.allText).filter { $0.contains("规定分数线") }
                    == ["五四红旗团委 规定分数线 ≥ 85.00", "先进团委 规定分数线 ≥ 75.00"])
        }
    }

    @Test func bandLinesAreTheHoldersExtremesAndNoOtherUnits() throws {
        let sheet = try Self.awards()
        for section in sheet.groupSections {
            let lines = BandLines(sheet, units: section.units)
            for cut in lines.cuts {
                let holders = section.units.filter { sheet.ranking.bands[$0].contains(cut.band) }
                let totals = holders.map { sheet.totals[$0] }
                #expect(cut.score == (cut.from == .top ? totals.min() : totals.max()))
                // every holder is on its side of the line
                for u in holders {
                    let row = section.units.firstIndex(of: u)!
                    #expect(cut.from == .top ? row <= cut.after : row > cut.after)
                }
                #expect(holders.allSatisfy { sheet.vetoes(of: $0).isEmpty || !sheet.policy.bands.first { $0.id == cut.band }!.award })
            }
        }
        // a group's lines never come from another group's units
        let street = try #require(sheet.groupSections.last)
        #expect(BandLines(sheet, units: street.units).cuts.map { "\($0.band) \($0.after) \($0.score)" } == ["hongqi 0 92", "xianjin 1 92"])
    }

    @Test func withoutGroupsAVetoedUnitAboveTheHoldersSetsNoLine() throws {
        // one group; A (vetoed) and C (above the band's max_total) rank above the holders and hold nothing
        let source = """
            return { id = "v", title = "评优", year = 2025, base = 0, total = { decimals = 1 },
              vetoes = { { id = "dues", citation = "第九条", title = "团费", when = function(u) return u.dues < 90, "" end } },
              bands = { { id = "hongqi", label = "红旗", from = "top", count = 1, award = true },
                        { id = "cap", label = "进步", from = "top", count = 3, max_total = 92 } },
              inputs = { units = { "unit_id: text", "name: text", "points: number", "dues: number" } },
              rules = { { id = "p", title = "得分", score = function(u) return u.points end } } }
            """
        let csv = "unit_id,name,points,dues\nA,甲,99,80\nB,乙,95,99\nC,丙,91,99\nD,丁,80,99\n"
        let sheet = try Support.score(try Support.policy(source), Support.folder(["units.csv": csv]))
        let tree = try Self.page(sheet)
        #expect(tree.all("section", class: "group").isEmpty)
        let chart = try #require(tree.all("svg", class: "chart").first)
        #expect(Self.cutoffLabels(chart) == ["红旗 分数线 ≥ 95.0", "进步 分数线 ≥ 91.0"])
        #expect(chart.all("text").map(\.allText).filter { $0.contains("规定分数线") } == ["进步 规定分数线 ≤ 92.0"])
        #expect(tree.all("ul", class: "vetoes").first?.all("li").map { $0.attributes["data-unit"]! } == ["A"])
    }

    @Test func tiesAtAQuotaAndEmptyBandsAreStatedInTheGroupInChinese() throws {
        let tree = try Self.page(try Self.awards())
        let township = try Self.group(tree, "township").all("ul", class: "band-notices").first?.all("li") ?? []
        #expect(township.map { $0.attributes["data-code"]! } == ["band.tie-over-places"])
        #expect(township.first?.allText == "注意：先进团委名额2个，因总分并列评出3个单位：南镇、北镇、中镇")
        let street = try Self.group(tree, "street").all("ul", class: "band-notices").first?.all("li") ?? []
        #expect(street.map(\.allText) == ["注意：后20%在 3 个单位中按 20% 计为 0.6 个，取整后没有名额，无单位获得该等次"])
    }

    @Test func theNoticeGivesGroupRankRoundingVetoesAndTheTieBreak() throws {
        let tree = try Self.page(try Self.awards())
        func notice(_ id: String) throws -> HTMLTree.Node {
            try #require(tree.all("section", class: "notice").first { $0.attributes["data-unit"] == id })
        }
        #expect(try notice("T3").all("p", class: "summary").first?.allText
                == "88.13总分 = 基础分 0 加减分 +88.125（88.125 按办法保留 2 位小数） · 组别 乡镇 · 排名 3 / 6")
        #expect(try notice("T3").all("tfoot").first?.all("td")[1].allText == "88.13")
        #expect(try notice("S1").all("p", class: "summary").first?.allText == "92.00总分 = 基础分 0 加减分 +92 · 组别 街道 · 排名 1 / 3")
        #expect(try notice("S1").all("p", class: "tie-line").map(\.allText) == ["与城西街道（S2）总分相同，按第二条得分 2 > 1 排在其前"])
        #expect(try notice("S2").all("p", class: "tie-line").map(\.allText) == ["与城东街道（S1）总分相同，按第二条得分 1 < 2 排在其后"])
        // equal on every key: a shared rank, and the quota the tie overfilled
        #expect(try notice("T4").all("p", class: "tie-line").map(\.allText) == ["与中镇（T5）总分相同，名次并列", "先进团委名额2个，因总分并列评出3个单位"])
        // T6 (乡镇) and S3 (街道) both have 68.00, in different groups: no tie to speak of
        #expect(try notice("T6").all("p", class: "tie-line").isEmpty && notice("S3").all("p", class: "tie-line").isEmpty)
    }

    @Test func everyTotalOnThePageHasTheDocumentsDecimals() throws {
        let sheet = try Self.awards()
        let tree = try Self.page(sheet)
        let twoDecimals = /-?\d+\.\d\d/
        let shown = tree.all("table", class: "ranking").flatMap { $0.all("tr").compactMap { $0.all("td").dropFirst(3).first?.allText } }
            + tree.all("p", class: "summary").map { $0.all("span", class: "figure").first!.allText }
            + tree.all("section", class: "notice").map { $0.all("tfoot").first!.all("td")[1].allText }
        #expect(shown.count == 3 * sheet.unitCount)
        for text in shown { #expect(text.wholeMatch(of: twoDecimals) != nil, "\(text)") }
        // the bars' values too
        let values = tree.all("svg", class: "chart").flatMap { $0.all("text") }.filter { $0.attributes["text-anchor"] == nil && $0.attributes["class"] == nil }
        #expect(values.count == sheet.unitCount && values.allSatisfy { $0.allText.wholeMatch(of: twoDecimals) != nil })
    }

    @Test func theEnglishPageHasTheSameSectionsInEnglish() throws {
        let tree = try Self.page(try Self.awards(), language: .en)
        #expect(tree.all("section", class: "group").map { $0.all("h3").first!.allText } == ["乡镇 · 6 units", "街道 · 3 units"])
        let veto = try #require(tree.all("ul", class: "vetoes").first?.all("li").first)
        #expect(veto.allText == "Vetoes: 东镇 (T1) 第九条 团费收缴率低于90% (团费收缴率 80%); not eligible for awards")
        let tie = try #require(try Self.group(tree, "township").all("ul", class: "band-notices").first?.all("li").first)
        #expect(tie.allText == "warning: xianjin has 2 places but holds 3 units, tied at the cut: 南镇, 北镇, 中镇")
    }

    @Test func bandsThatCannotTellTiedUnitsApartAndUnsettledHistoryAreStated() throws {
        let dir = Repository.path("Tests/KaoheCLITests/Fixtures")
        let tied = try Support.score(try PolicyLoader.load(path: dir + "/tied-policy.lua"), dir + "/tied")
        let remark = try #require(try Self.page(tied).all("ul", class: "band-notices").first?.all("li").first)
        #expect(remark.attributes["data-code"] == "band.tie-across-cutoffs")
        #expect(remark.allText == "注意：5 个单位同时在前20%和后20%中，总分并列跨越两条分数线，等次无法区分，请核对数据或增加区分的条款：甲、乙、丙、丁、戊")
        // a history band without a jurisdiction to look earlier runs up by
        let source = """
            return { id = "h", title = "H", year = 2025, base = 0,
              bands = { { id = "bottom", label = "末位", from = "bottom", count = 1 },
                        { id = "twice", label = "连续两年末位", from = "history", band = "bottom", years = 2 } },
              inputs = { units = { "unit_id: text", "name: text", "a: number" } },
              rules = { { id = "a", title = "A", score = function(u) return u.a end } } }
            """
        let policy = try Support.policy(source)
        let data = try DatasetLoader.load(policy: policy, path: Support.folder(["units.csv": "unit_id,name,a\nU1,甲,1\nU2,乙,2\n"]))
        let sheet = try Assessment.score(policy, data: data, history: Assessment.History { _, _ in nil })
        let lines = try Self.page(sheet).all("ul", class: "band-notices").first?.all("li").map(\.allText)
        #expect(lines == ["注意：办法未写明所属地区（jurisdiction），不能与往年的考核记录比对，连续两年末位未评定"])
    }
}

extension HTMLAwardTests {
    /// `kaohe explain --format html` of a grouped policy: the notice alone, ranked within its group, with the
    /// tie-break line. (The fixture without its veto: see the report on Explanation.explain and vetoes.)
    @Test func theExplainPageRanksWithinTheGroupAndNamesTheTieBreak() throws {
        let source = try String(contentsOfFile: Repository.path("Tests/KaoheCLITests/Fixtures/awards-policy.lua"), encoding: .utf8)
        let start = try #require(source.range(of: "  vetoes = {")), end = try #require(source.range(of: "  bands = {"))
        let policy = try Support.policy(source.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: ""))
        let sheet = try Support.score(policy, Repository.path("Tests/KaoheCLITests/Fixtures/awards"))
        let u = try #require(sheet.data.index(ofUnit: "S2"))
        let html = ExplainReport.render(try Explanation.explain(sheet, unit: u), sheet: sheet, format: .html)
        let tree = try HTMLTree(html)
        HTMLReportTests.expectSelfContained(html, tree)
        let notice = try #require(tree.all("section", class: "notice").first)
        #expect(notice.all("p", class: "summary").first?.allText == "92.00总分 = 基础分 0 加减分 +92 · 组别 街道 · 排名 2 / 3")
        #expect(notice.all("p", class: "tie-line").map(\.allText) == ["与城东街道（S1）总分相同，按第二条得分 1 < 2 排在其后"])
        #expect(html.contains(".notice .tie-line {"), "the award rules of the stylesheet")
    }
}
