import Testing
@testable import Kaohe

/// The label tables: one per language, reports fill them in.
@Suite struct LabelsTests {
    @Test func eachTableIsItsLanguage() {
        for language in Language.allCases {
            #expect(Labels.forLanguage(language).language == language)
            #expect(HTMLLabels.forLanguage(language).language == language)
        }
        #expect(HTMLLabels.zh.htmlLang == "zh-CN")
        #expect(HTMLLabels.en.htmlLang == "en")
    }

    /// English reports print the machine names the JSON uses.
    @Test func englishProblemsAreTheirRawValues() {
        for p in SelfCheck.Problem.allCases { #expect(p.label(.en) == p.rawValue) }
        #expect(SelfCheck.Problem.notSubmitted.label(.zh) == "未提交自查表")
    }

    /// `kaohe explain`'s data rows: an empty value is said in the report's language.
    @Test func anEmptyValueIsInTheReportsLanguage() {
        let cell = Explanation.CellUse(table: "t", file: "data/a.csv", line: 3, values: [("x", ""), ("y", "1")])
        #expect(ExplainReport.cellText(cell, .zh) == "a.csv 第3行：x=（空） y=1")
        #expect(ExplainReport.cellText(cell, .en) == "a.csv line 3: x=(empty) y=1")
    }

    @Test func templatesAreFilledInOnePass() {
        #expect(Labels.fill("{a}-{b}", ["a": "{b}", "b": "2"]) == "{b}-2")
        #expect(Labels.fill("{unknown} {a}", ["a": "1"]) == "{unknown} 1")
        #expect(Labels.zh.meaning("示范") == "（示范）")
        #expect(Labels.en.meaning("示范") == "")
        #expect(Labels.zh.meaning(nil) == "")
        #expect(HTMLLabels.zh.lost("1.2 规则", Points(3)) == "1.2 规则 失 3 分")
        #expect(HTMLLabels.en.lost("1.2 rule", Points(3)) == "1.2 rule −3")
        #expect(HTMLLabels.en.others(4) == "4 other rules")
    }

    @Test func aPolicysLanguageIsAReportLanguage() throws {
        #expect(try Support.ganzhou2023.language == .zh)
        let en = try Support.policy("""
            return { id = "en", title = "E", year = 2025, language = "en", inputs = { units = { "unit_id: text", "name: text" } },
              rules = { { id = "r", title = "R", score = function() return 0 end } } }
            """)
        #expect(en.language == .en)
    }
}
