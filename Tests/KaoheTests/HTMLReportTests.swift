import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// The HTML reports: well-formed and self-contained, every link lands, bands and notices as the results say,
/// and nothing a policy or its data writes can become markup.
@Suite struct HTMLReportTests {
    static func ganzhou2023() throws -> Scoresheet {
        try Support.score(try Support.ganzhou2023, Repository.path("policies/ganzhou/sample-2023"))
    }

    static func comparison() throws -> (PolicyDiff, Comparison) {
        let data = Repository.path("policies/ganzhou/sample-2024")
        let a = try Support.ganzhou2023
        let b = try PolicyLoader.load(path: Repository.path("policies/ganzhou/2024.lua"))
        let c = Comparison(a: Comparison.Side(try Support.score(a, data), label: a.id),
                           b: Comparison.Side(try Support.score(b, data), label: b.id))
        return (PolicyDiff(old: a, new: b), c)
    }

    /// No network: no scripts, no external stylesheets, images or fonts; every in-page link has a target.
    static func expectSelfContained(_ html: String, _ tree: HTMLTree, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(tree.all("script").isEmpty, sourceLocation: sourceLocation)
        #expect(tree.all("link").isEmpty && tree.all("img").isEmpty && tree.all("iframe").isEmpty, sourceLocation: sourceLocation)
        #expect(!html.contains("url(") && !html.contains("@import"), sourceLocation: sourceLocation)
        let ids = Set(tree.ids)
        #expect(ids.count == tree.ids.count, "duplicate ids", sourceLocation: sourceLocation)
        for a in tree.all("a") {
            let href = a.attributes["href"] ?? ""
            #expect(href.hasPrefix("#") && ids.contains(String(href.dropFirst())), "link \(href) has no target",
                    sourceLocation: sourceLocation)
        }
        for node in tree.root.descendants {
            for (key, value) in node.attributes where key == "src" || key.hasPrefix("on") || value.contains("javascript:") {
                Issue.record("\(node.name) has \(key)=\(value)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func bulletinHasRankingChartAveragesAndANoticePerUnitInRankOrder() throws {
        let sheet = try Self.ganzhou2023()
        let html = ScoreReport.render(sheet, format: .html)
        let tree = try HTMLTree(html)
        Self.expectSelfContained(html, tree)
        #expect(tree.all("title").first?.allText == "甘州区共青团乡镇街道工作考核 2023 · 考核结果通报")
        #expect(html.contains(sheet.policy.sha256) && html.contains(sheet.data.sha256))
        #expect(html.contains("《甘州区共青团乡镇街道工作考核办法（试行）》"))
        // ranking rows in rank order, coloured by band
        let rows = tree.all("table", class: "ranking").first?.all("tr").filter { $0.attributes["data-unit"] != nil } ?? []
        #expect(rows.map { $0.attributes["data-unit"]! } == sheet.order.map { sheet.data.unitIDs[$0] })
        let top = rows.filter { $0.classes.contains("band-top") }.map { $0.attributes["data-unit"]! }
        let bottom = rows.filter { $0.classes.contains("band-bottom") }.map { $0.attributes["data-unit"]! }
        #expect(top == ["GZ06", "GZ14", "GZ19", "GZ20", "GZ22"])
        #expect(bottom == ["GZ17", "GZ18", "GZ07", "GZ11", "GZ03"])
        // the chart: a bar per unit, and the two band cut-offs with their scores
        let chart = try #require(tree.all("svg", class: "chart").first)
        #expect(chart.all("rect").count == 23)
        #expect(chart.all("rect", class: "bar-top").count == 5 && chart.all("rect", class: "bar-bottom").count == 5)
        let cutoffLabels = chart.all("text").map(\.allText).filter { $0.contains("分数线") }
        #expect(cutoffLabels == ["前20%·推荐 分数线 ≥ 201", "后20% 分数线 ≤ 108"])
        // per-rule averages: one row per rule, the mean of the units' points
        let stats = tree.all("table", class: "rule-stats").first?.all("tr").filter { $0.attributes["data-rule"] != nil } ?? []
        #expect(stats.map { $0.attributes["data-rule"]! } == sheet.policy.rules.map(\.id))
        let studySum = (0..<sheet.unitCount).map { u in sheet.items(of: u)[0].points.doubleValue }.reduce(0, +)
        #expect(stats[0].all("td")[2].allText == String(format: "%.2f", studySum / 23))
        // a notice per unit, in rank order, each with every rule
        let notices = tree.all("section", class: "notice")
        #expect(notices.map { $0.attributes["data-unit"]! } == sheet.order.map { sheet.data.unitIDs[$0] })
        for n in notices {
            #expect(n.all("h2").first?.allText == "考核结果告知书")
            #expect(n.all("tr").filter { $0.attributes["data-rule"] != nil }.count == sheet.policy.rules.count)
        }
        // the print stylesheet starts each notice on a new A4 page
        #expect(html.contains("@page { size: A4;"))
        #expect(html.contains(".notice { break-before: page; page-break-before: always;"))
    }

    @Test func bottomTwiceIsHighlightedWithItsConsequence() throws {
        let scored = try Self.ganzhou2023()
        // last year's run had GZ07 and GZ16 in the bottom 20%; only GZ07 is there again
        let history = Assessment.History { jurisdiction, year in
            jurisdiction == "ganzhou" && year == 2022 ? ["GZ07": ["bottom20"], "GZ16": ["bottom20"]] : nil
        }
        let sheet = try Assessment.score(scored.policy, data: scored.data, history: history)
        let tree = try HTMLTree(ScoreReport.render(sheet, format: .html))
        let rows = tree.all("table", class: "ranking").first?.all("tr").filter { $0.attributes["data-unit"] != nil } ?? []
        #expect(rows.filter { $0.classes.contains("band-history") }.map { $0.attributes["data-unit"]! } == ["GZ07"])
        let gz07 = try #require(tree.all("section", class: "notice").first { $0.attributes["data-unit"] == "GZ07" })
        #expect(gz07.all("span", class: "band").map(\.allText) == ["后20%", "连续两年后20%"])
        #expect(gz07.all("p", class: "band-line").last?.allText == "连续两年后20%建议同级党组织对其主要负责同志进行组织调整")
        let summary = try #require(tree.all("li").first { $0.attributes["data-band"] == "bottom20-twice" })
        #expect(summary.all("a").map(\.allText) == ["上秦镇"])
    }

    @Test func noticeShowsCitationsNotesCapsAndWhereTheUnitLostPoints() throws {
        let sheet = try Self.ganzhou2023()
        let u = try #require(sheet.data.index(ofUnit: "GZ07"))
        let e = try Explanation.explain(sheet, unit: u)
        let html = ExplainReport.render(e, sheet: sheet, format: .html)
        let tree = try HTMLTree(html)
        Self.expectSelfContained(html, tree)
        let notices = tree.all("section", class: "notice")
        #expect(notices.count == 1)
        let n = try #require(notices.first)
        #expect(n.all("p", class: "to").first?.allText == "上秦镇（GZ07）")
        #expect(n.all("p", class: "summary").first?.allText == "99总分 = 基础分 100 加减分 -1 · 排名 21 / 23")
        let study = try #require(n.all("tr").first { $0.attributes["data-rule"] == "study" })
        let cells = study.all("td").map(\.allText)
        #expect(cells[0] == "第九条" && cells[2] == "-40")
        #expect(cells.last!.contains("参学率不足100% ×24 -48"))
        // explain adds the data rows each rule read
        #expect(cells.last!.contains("study.csv 第233行：rate=100"))
        // the largest loss first: 第九条 took 40
        #expect(n.all("p", class: "lost").first?.allText.hasPrefix("主要失分：第九条 “青年大学习”参学率 失 40 分") == true)
        #expect(n.all("span", class: "band").map(\.allText) == ["后20%"])
    }

    @Test func capsAreShownWithTheRawPoints() throws {
        let dir = Support.folder(["units.csv": "unit_id,name,a,b\nU1,甲,12,5\n"])
        let sheet = try Support.score(try Support.policy(CapsTests.source), dir)
        let tree = try HTMLTree(ScoreReport.render(sheet, format: .html))
        let a = try #require(tree.all("tr").first { $0.attributes["data-rule"] == "a" && $0.parent?.name == "tbody" && $0.all("div").count > 0 })
        #expect(a.all("div", class: "warn").map(\.allText) == ["已按max 8封顶（原始得分 +12）"])
        // the section cap is its own line
        #expect(tree.all("section", class: "notice").first?.all("tr").contains { $0.attributes["data-rule"] == "section:bonus" } == true)
    }

    @Test func selfCheckNoticeSetsTheUnitsOwnScoreAgainstTheVerifiedOne() throws {
        let p = try PolicyLoader.load(path: Repository.path("policies/guangyuan/2014.lua"))
        let sheet = try Support.score(p, Repository.path("policies/guangyuan/sample-2014"))
        let u = try #require(sheet.data.names.firstIndex(of: "朝天区"))
        let check = try #require(SelfCheck(sheet, unit: u))
        let tree = try HTMLTree(ScoreReport.render(sheet, format: .html))
        let notice = try #require(tree.all("section", class: "notice").first { $0.attributes["data-unit"] == sheet.data.unitIDs[u] })
        let heads = notice.all("th").map(\.allText)
        #expect(heads == ["条款", "项目", "得分", "满分", "自查得分", "差", "说明"])
        let r02 = try #require(notice.all("tr").first { $0.attributes["data-rule"] == "r02" })
        let row = try #require(check.rows.first { $0.rule == "r02" })
        #expect(r02.all("td").map(\.allText)[2...5] == ["+2.05", "3", "2.1", "+0.05"])
        #expect(row.problems.contains(.overClaimed))
        #expect(r02.all("div", class: "warn").first?.allText.contains("自查高于核定") == true)
        // the ranking table has the self-check columns too
        #expect(tree.all("table", class: "ranking").first?.all("th").map(\.allText).contains("自查得分") == true)
    }

    @Test func policyTextCannotBecomeMarkup() throws {
        let payload = "<script>alert(\"x\")</script> & 'q' <img src=x onerror=alert(1)>"
        let source = """
            return {
              id = "evil", title = [[\(payload)]], year = 2024, base = 0,
              bands = { { id = "top50", label = [[<b>top</b>]], from = "top", fraction = 0.5, meaning = [[</p><iframe>]] } },
              inputs = { units = { "unit_id: text", "name: text" } },
              rules = {
                { id = "r", citation = [[<i>c</i>]], title = "T", score = function(u) return 1, [[\(payload)]] .. u.name end },
              },
            }
            """
        let dir = Support.folder(["units.csv": "unit_id,name\nU1,</td><script>x</script>\nU&2,\"a\"\"b\"\n"])
        let sheet = try Support.score(try Support.policy(source), dir)
        let html = ScoreReport.render(sheet, format: .html)
        let tree = try HTMLTree(html)
        Self.expectSelfContained(html, tree)
        #expect(tree.all("b").isEmpty && tree.all("i").isEmpty)
        #expect(tree.all("title").first?.allText.hasPrefix(payload) == true)
        #expect(tree.root.allText.contains(payload + "</td><script>x</script>"))
        #expect(tree.all("section", class: "notice").map { $0.attributes["id"]! }.sorted() == ["unit-U1", "unit-U~262"])
    }

    @Test func bulletinIsTheSameWhateverTheThreadCount() throws {
        let p = try Support.ganzhou2023
        let data = Repository.path("policies/ganzhou/sample-2023")
        let one = ScoreReport.render(try Support.score(p, data, jobs: 1), format: .html)
        let two = ScoreReport.render(try Support.score(p, data, jobs: 2), format: .html)
        #expect(one == two)
    }

    @Test func comparisonShowsRankMovesBandChangesAndWhichRulesMovedEachUnit() throws {
        let (_, c) = try Self.comparison()
        let html = CompareReport.render(c, format: .html, language: .zh)
        let tree = try HTMLTree(html)
        Self.expectSelfContained(html, tree)
        let charts = tree.all("svg", class: "chart")
        #expect(charts.count == 2)
        // slope chart: a line per unit; entering a band coloured, leaving one dashed
        let slopes = charts[0].all("path", class: "slope")
        #expect(slopes.count == 23)
        func moved(_ cls: String) -> [String] {
            slopes.filter { $0.classes.contains(cls) }.map { $0.all("title").first!.allText.split(separator: " ")[0] }.map(String.init).sorted()
        }
        #expect(moved("entered-top") == ["龙渠乡"])
        #expect(moved("entered-bottom") == ["南街街道", "长安镇"])
        #expect(moved("left") == ["安阳乡", "明永镇"])
        // attribution: one segment per rule that changed a unit, titled with the rule and its change
        let segments = charts[1].all("rect")
        #expect(segments.count == c.units.map(\.byRule.count).reduce(0, +))
        #expect(segments.contains { $0.allText == "第十二条 宣传报道工作 -32" })
        // the table: rows in B's rank order, band changes as chips
        let rows = tree.all("table", class: "compare").first?.all("tr").filter { $0.attributes["data-unit"] != nil } ?? []
        #expect(rows.map { $0.attributes["data-unit"]! } == c.units.map(\.unit))
        let gz20 = try #require(rows.first { $0.attributes["data-unit"] == "GZ20" })
        #expect(gz20.all("span", class: "left").map(\.allText) == ["前20%·推荐"])
        #expect(gz20.classes.contains("band-left"))
    }

    @Test func manyChangedRulesShareGreyBeyondNineColours() throws {
        // 12 rules; under B rule rK adds K points for every unit, so all 12 change and r12 moves the most
        func policy(_ id: String, factor: Int) throws -> Policy {
            let rules = (1...12).map { k in
                "{ id = \"r\(k)\", citation = \"第\(k)条\", title = \"R\(k)\", score = function(u) return u.a * \(k * factor) end },"
            }.joined(separator: "\n")
            return try Support.policy("""
                return { id = "\(id)", title = "Many", year = 2024, base = 0,
                  inputs = { units = { "unit_id: text", "name: text", "a: number" } },
                  rules = { \(rules) } }
                """)
        }
        let data = Support.folder(["units.csv": "unit_id,name,a\nU1,甲,1\nU2,乙,2\nU3,丙,3\n"])
        let c = Comparison(a: Comparison.Side(try Support.score(try policy("a", factor: 0), data), label: "a"),
                           b: Comparison.Side(try Support.score(try policy("b", factor: 1), data), label: "b"))
        let tree = try HTMLTree(CompareReport.render(c, format: .html, language: .zh))
        let legend = try #require(tree.all("div", class: "legend").first)
        let entries = legend.children.filter { $0.name == "span" }
        #expect(entries.count == 10)
        // the nine that moved the most, in rule order, each with its own colour; then the other three
        #expect(entries.prefix(9).map(\.allText) == (4...12).map { "第\($0)条 R\($0)" })
        let colours = entries.map { $0.all("span", class: "swatch").first!.attributes["style"]! }
        #expect(Set(colours.prefix(9)).count == 9)
        #expect(entries[9].allText == "其他 3 项")
        #expect(entries[9].attributes["title"] == "第1条 R1; 第2条 R2; 第3条 R3")
        let grey = try #require(colours.last)
        #expect(!colours.prefix(9).contains(grey))
        // their segments are grey, and still say which rule they are
        let chart = tree.all("svg", class: "chart")[1]
        let r2 = chart.all("rect").filter { $0.allText.hasPrefix("第2条 R2") }
        #expect(r2.count == 3 && r2.allSatisfy { "background:" + $0.attributes["fill"]! == grey })
    }

    @Test func diffLinksEachChangedRuleToTheUnitsItMoved() throws {
        let (d, c) = try Self.comparison()
        let html = DiffReport.render(d, format: .html, comparison: c)
        let tree = try HTMLTree(html)
        Self.expectSelfContained(html, tree)
        let rows = tree.all("table", class: "diff").first?.all("tr").filter { $0.attributes["data-area"] != nil } ?? []
        #expect(rows.count == d.changes.count)
        let publicity = try #require(rows.first { $0.attributes["id"] == "rule-publicity" })
        #expect(publicity.all("td", class: "old").first?.allText == "—")
        #expect(publicity.all("td", class: "new").first?.allText == "20")
        let links = publicity.all("a").map { $0.attributes["href"]! }
        let expected = c.units.filter { $0.byRule.contains { $0.key == "publicity" } }.map { "#" + HTMLWriter.anchor(unit: $0.unit) }
        #expect(!expected.isEmpty && links == expected)
        // and back: in the affected units' table, the changed rules link to their rows
        let gz06 = try #require(tree.all("table", class: "compare").first?.all("tr").first { $0.attributes["data-unit"] == "GZ06" })
        #expect(gz06.all("a").map { $0.attributes["href"]! } == ["#rule-study", "#rule-late_reports", "#rule-publicity"])
        // without data: no impact column
        let plain = try HTMLTree(DiffReport.render(d, format: .html))
        #expect(!(plain.all("th").map(\.allText).contains("影响单位")))
        #expect(plain.all("table", class: "compare").isEmpty)
    }

    @Test(arguments: [(-7.0, 223.0, [0.0, 50, 100, 150, 200]), (0.0, 1.0, [0, 0.2, 0.4, 0.6, 0.8, 1]), (-60.0, 60.0, [-60, -40, -20, 0, 20, 40, 60])])
    func chartTicksAreRoundNumbers(lo: Double, hi: Double, expected: [Double]) {
        #expect(SVGChart.ticks(lo, hi) == expected)
    }

    @Test func largeRankingsDrawTheTopAndBottomOfTheChartAroundAGap() throws {
        // 250 units: the chart keeps the first and last 100 rows, the ranking table and notices keep all
        let rows = (1...250).map { "U\(String(format: "%03d", $0)),单位\($0),\($0 % 17),0\n" }.joined()
        let sheet = try Support.score(try Support.policy(CapsTests.source), Support.folder(["units.csv": "unit_id,name,a,b\n" + rows]))
        let tree = try HTMLTree(ScoreReport.render(sheet, format: .html))
        let charts = tree.all("svg", class: "chart")
        #expect(charts.count == 2)
        // first the distribution: every unit counted once
        let bins = charts[0].all("rect").map { Int($0.allText.split(separator: " ").last!)! }
        #expect(bins.reduce(0, +) == 250)
        #expect(bins.count == Set(sheet.totals).count, "totals 100.3…108.3 are 1 apart, bins narrower: a bar per distinct total")
        let chart = charts[1]
        #expect(chart.all("rect").count == SVGChart.maxRows)
        #expect(chart.all("text").contains { $0.allText == "… 50 个单位 …" })
        #expect(tree.all("section", class: "notice").count == 250)
    }

    @Test func longNamesAreCutToFitTheChartAndKeptWholeElsewhere() throws {
        let long = "一个非常非常非常非常非常非常长的单位名称测试用例名字"
        let sheet = try Support.score(try Support.policy(CapsTests.source),
                                      Support.folder(["units.csv": "unit_id,name,a,b\nU1,\(long),1,0\nU2,短名,2,0\n"]))
        let tree = try HTMLTree(ScoreReport.render(sheet, format: .html))
        let chart = try #require(tree.all("svg", class: "chart").first)
        let label = try #require(chart.all("text").first { $0.all("title").first?.allText == long })
        let shown = label.children.filter { $0.name == "#text" }.map(\.text).joined()
        #expect(shown.hasPrefix("2  一个非常") && shown.hasSuffix("…"), "\(shown)")
        // at 12px a CJK character is 12px wide: the cut label must fit left of the bars (labelWidth - 8)
        #expect(Double(TextWidth.of(shown)) * 6 <= TotalsChart.labelWidth - 8)
        // a short name is drawn as it is, without a tooltip
        #expect(chart.all("text").contains { $0.allText == "1  短名" && $0.all("title").isEmpty })
        // the ranking and the notice keep the whole name
        #expect(tree.all("table", class: "ranking").first?.allText.contains(long) == true)
        #expect(tree.all("section", class: "notice").contains { $0.allText.contains(long) })
    }

    @Test func largeComparisonsChartBandChangesAndTheLargestMovers() throws {
        let source = CapsTests.source.replacingOccurrences(of: "base = 100,", with: "base = 100, bands = { { id = \"top20\", label = \"前20%\", from = \"top\", fraction = 0.2 } },")
        let p = try Support.policy(source)
        let a = (1...300).map { "U\(String(format: "%03d", $0)),单位\($0),\($0 % 7),0\n" }.joined()
        let b = (1...300).map { "U\(String(format: "%03d", $0)),单位\($0),\($0 % 7),\($0 % 5)\n" }.joined()
        let sa = try Support.score(p, Support.folder(["units.csv": "unit_id,name,a,b\n" + a]))
        let sb = try Support.score(p, Support.folder(["units.csv": "unit_id,name,a,b\n" + b]))
        let c = Comparison(a: Comparison.Side(sa, label: "A"), b: Comparison.Side(sb, label: "B"))
        let charted = c.chartedUnits
        #expect(charted.count == SVGChart.maxRows)
        let banded = c.units.filter { !$0.bandsEntered.isEmpty || !$0.bandsLeft.isEmpty }
        #expect(!banded.isEmpty && banded.allSatisfy { u in charted.contains { $0.unit == u.unit } })
        // kept in the comparison's order
        let order = Dictionary(uniqueKeysWithValues: c.units.enumerated().map { ($0.element.unit, $0.offset) })
        #expect(charted.map { order[$0.unit]! } == charted.map { order[$0.unit]! }.sorted())
        let tree = try HTMLTree(CompareReport.render(c, format: .html, language: .zh))
        #expect(tree.all("svg", class: "chart")[0].all("path", class: "slope").count == SVGChart.maxRows)
        #expect(tree.all("h2").contains { $0.allText == "排名变化（图中显示 200 / 300）" })
        #expect(tree.all("table", class: "compare").first?.all("tr").filter { $0.attributes["data-unit"] != nil }.count == 300)
    }

    @Test(arguments: [("甘州区（GZ06）", "甘州区（GZ06）"), ("a<b & \"c\" 'd'>", "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;"),
                      ("tab\tline\nbell\u{07}", "tab\tline\nbell\\u{7}"), ("\u{1B}[2J\u{202E}x\u{9B}", "\\u{1B}[2J\\u{202E}x\\u{9B}"), ("x\u{FFFE}y\u{FFFF}z", "xyz"), ("\u{0FFE}", "\u{0FFE}")])
    func escapingKeepsTextAndShowsControls(text: String, escaped: String) {
        #expect(HTMLWriter.escape(text) == escaped)
    }

    @Test func anchorsKeepDistinctUnitIDsDistinct() {
        #expect(HTMLWriter.anchor(unit: "GZ06") == "unit-GZ06")
        #expect(HTMLWriter.anchor(unit: "利州区") == "unit-利州区")
        #expect(HTMLWriter.anchor(unit: "A B") != HTMLWriter.anchor(unit: "A-B"))
        #expect(HTMLWriter.anchor(unit: "A B") == "unit-A~20B")
    }
}
