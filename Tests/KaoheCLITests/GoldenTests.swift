import Foundation
import Testing
import KaoheCLI
import KaoheTestSupport

/// Golden-file tests for every command and format. Outputs are compared byte for byte with files in
/// Goldens/; set KAOHE_RECORD=1 to write them anew (then review the diff). A missing golden fails, a
/// different one shows a line diff (Golden.expect in KaoheTestSupport).
@Suite(.serialized) struct GoldenTests {
    static let goldens = Repository.path("Tests/KaoheCLITests/Goldens")
    static let sample = ["--policy", "policies/ganzhou/2023.lua", "--data", "policies/ganzhou/sample-2023"]
    static let guangyuan = ["--policy", "policies/guangyuan/2014.lua", "--data", "policies/guangyuan/sample-2014"]
    static let compare = ["compare", "--policy", "policies/ganzhou/2023.lua", "--policy", "policies/ganzhou/2024.lua",
                          "--data", "policies/ganzhou/sample-2024"]
    /// Two policies with groups, a one-vote veto and totals to two decimals (Fixtures/groups-2024.lua).
    static let compareGroups = ["compare", "--policy", "Tests/KaoheCLITests/Fixtures/groups-2024.lua", "--policy",
                                "Tests/KaoheCLITests/Fixtures/groups-2025.lua", "--data", "Tests/KaoheCLITests/Fixtures/groups"]

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var code: Int32
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "score-table", arguments: ["score"] + sample, code: 0),
        Case(name: "score-table-en", arguments: ["score"] + sample + ["--lang", "en"], code: 0),
        Case(name: "score-csv", arguments: ["score"] + sample + ["--format", "csv"], code: 0),
        Case(name: "score-json", arguments: ["score"] + sample + ["--format", "json"], code: 0),
        Case(name: "score-markdown", arguments: ["score"] + sample + ["--format", "markdown"], code: 0),
        Case(name: "explain-text", arguments: ["explain"] + sample + ["--unit", "GZ07"], code: 0),
        Case(name: "explain-by-name", arguments: ["explain"] + sample + ["--unit", "碱滩镇", "--format", "markdown"], code: 0),
        Case(name: "explain-json", arguments: ["explain"] + sample + ["--unit", "GZ17", "--format", "json"], code: 0),
        Case(name: "rules-table", arguments: ["rules", "--policy", "policies/ganzhou/2023.lua"], code: 0),
        Case(name: "rules-json", arguments: ["rules", "--policy", "policies/ganzhou/2023.lua", "--format", "json"], code: 0),
        Case(name: "diff-table", arguments: ["diff", "policies/ganzhou/2023.lua", "policies/ganzhou/2024.lua"], code: 0),
        Case(name: "diff-markdown", arguments: ["diff", "policies/ganzhou/2023.lua", "policies/ganzhou/2024.lua", "--format", "markdown"], code: 0),
        Case(name: "diff-json", arguments: ["diff", "policies/ganzhou/2023.lua", "policies/ganzhou/2024.lua", "--format", "json"], code: 0),
        Case(name: "error-diff-data-not-html", arguments: ["diff", "policies/ganzhou/2023.lua", "policies/ganzhou/2024.lua", "--data", "policies/ganzhou/sample-2024"], code: 2),
        Case(name: "diff-same", arguments: ["diff", "policies/ganzhou/2023.lua", "policies/ganzhou/2023.lua"], code: 0),
        Case(name: "compare-table", arguments: compare, code: 0),
        Case(name: "compare-csv", arguments: compare + ["--format", "csv"], code: 0),
        Case(name: "compare-markdown", arguments: compare + ["--format", "markdown"], code: 0),
        Case(name: "compare-json", arguments: compare + ["--format", "json"], code: 0),
        Case(name: "compare-groups-table", arguments: compareGroups, code: 0),
        Case(name: "compare-groups-csv", arguments: compareGroups + ["--format", "csv"], code: 0),
        Case(name: "compare-groups-markdown", arguments: compareGroups + ["--format", "markdown"], code: 0),
        Case(name: "compare-groups-json", arguments: compareGroups + ["--format", "json"], code: 0),
        Case(name: "error-compare-one-policy", arguments: ["compare", "--policy", "policies/ganzhou/2023.lua", "--data", "policies/ganzhou/sample-2024"], code: 2),
        Case(name: "error-new-exists", arguments: ["new", "--from", "policies/ganzhou/2023.lua", "--year", "2024"], code: 1),
        Case(name: "test-2023", arguments: ["test", "policies/ganzhou/2023.lua", "--coverage"], code: 0),
        Case(name: "test-json", arguments: ["test", "policies/ganzhou/2024_test.lua", "--format", "json", "--run", "report"], code: 0),
        Case(name: "error-test-missing", arguments: ["test", "policies/ganzhou/sample-2023"], code: 1),
        Case(name: "check-ok", arguments: ["check", "policies/ganzhou/2023.lua", "policies/ganzhou/2024.lua"], code: 0),
        Case(name: "error-check", arguments: ["check", "--strict", "Tests/KaoheCLITests/Fixtures/bad-policy.lua"], code: 1),
        Case(name: "guangyuan-rules", arguments: ["rules", "--policy", "policies/guangyuan/2014.lua"], code: 0),
        Case(name: "guangyuan-rules-json", arguments: ["rules", "--policy", "policies/guangyuan/2014.lua", "--format", "json"], code: 0),
        Case(name: "guangyuan-score", arguments: ["score"] + guangyuan, code: 0),
        Case(name: "guangyuan-selfcheck", arguments: ["score"] + guangyuan + ["--format", "selfcheck"], code: 0),
        Case(name: "guangyuan-explain", arguments: ["explain"] + guangyuan + ["--unit", "朝天区"], code: 0),
        Case(name: "error-bad-data", arguments: ["score", "--policy", "policies/ganzhou/2023.lua", "--data", "Tests/KaoheCLITests/Fixtures/bad-ganzhou"], code: 1),
        Case(name: "error-no-policy", arguments: ["score", "--policy", "policies/nowhere.lua", "--data", "policies/ganzhou/sample-2023"], code: 1),
        Case(name: "error-unknown-unit", arguments: ["explain"] + sample + ["--unit", "GZ"], code: 1),
        Case(name: "error-ambiguous-unit", arguments: ["explain", "--policy", "Tests/KaoheCLITests/Fixtures/tied-policy.lua", "--data", "Tests/KaoheCLITests/Fixtures/same-name", "--unit", "新华街道"], code: 1),
        Case(name: "error-usage", arguments: ["score", "--policy", "policies/ganzhou/2023.lua"], code: 2),
        Case(name: "warning-tied-bands", arguments: ["score", "--policy", "Tests/KaoheCLITests/Fixtures/tied-policy.lua", "--data", "Tests/KaoheCLITests/Fixtures/tied"], code: 0),
        Case(name: "error-bad-limit", arguments: ["score"] + sample + ["--time-limit", "0"], code: 2),
        Case(name: "error-bad-format", arguments: ["score"] + sample + ["--format", "pdf"], code: 2),
    ]

    init() {
        _ = FileManager.default.changeCurrentDirectoryPath(Repository.root)
    }

    @Test(arguments: cases)
    func matchesGolden(_ c: Case) throws {
        let result = KaoheCommand.capture(c.arguments)
        #expect(result.code == c.code, "stderr: \(result.err)")
        let text = "$ kaohe \(c.arguments.joined(separator: " "))\n" + result.out
            + (result.err.isEmpty ? "" : "--- stderr\n" + result.err)
        try Self.expectGolden(text, c.name + ".txt")
    }

    /// Compares `text` with the golden file `relative` (under Goldens/); see Golden.expect.
    static func expectGolden(_ text: String, _ relative: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        try Golden.expect(text, matches: (goldens as NSString).appendingPathComponent(relative), sourceLocation: sourceLocation)
    }

    @Test func versionNamesTheReleaseAndItsLua() {
        let result = KaoheCommand.capture(["--version"])
        #expect(result.code == 0)
        #expect(result.out.hasPrefix("kaohe 0.3.0 (Lua 5.4."), "\(result.out)")
    }

    @Test func newWritesNextYearsPolicy() throws {
        let dir = TemporaryDirectory.make("kaohe-new")
        let target = dir + "/2025.lua"
        let result = KaoheCommand.capture(["new", "--from", "policies/ganzhou/2024.lua", "--year", "2025", "--output", target])
        #expect(result.code == 0, "\(result.err)")
        let text = String(decoding: FileManager.default.contents(atPath: target) ?? Data(), as: UTF8.self)
        #expect(text.hasPrefix("-- kaohe new: ganzhou-2025, derived from policies/ganzhou/2024.lua"))
        #expect(text.contains("  id = \"ganzhou-2025\",\n  title"))
        #expect(text.contains("  year = 2025,\n  parent = { id = \"ganzhou-2024\", sha256 = \""))
        // the old parent line goes with its line break: the next field keeps its own line
        #expect(text.contains("file = \"2024.lua\" },\n  jurisdiction = \"ganzhou\","), "\(text.prefix(3000))")
        #expect(!text.contains("parent = { id = \"ganzhou-2023\""), "the grandparent line is replaced")
        #expect(text.contains("第十一条之一 月度工作报告按时报送 (late_reports): due_day, late, missing"))
        // same rules and params: the diff shows only metadata
        let diff = KaoheCommand.capture(["diff", "policies/ganzhou/2024.lua", target, "--format", "json"])
        #expect(diff.out.contains("\"area\": \"metadata\""))
        #expect(!diff.out.contains("\"area\": \"rule\""))
        // never overwrites
        let again = KaoheCommand.capture(["new", "--from", "policies/ganzhou/2024.lua", "--year", "2025", "--output", target])
        #expect(again.code == 1)
        #expect(again.err.contains("already exists"))
        // the parent's tests come along and pass on the unedited policy
        #expect(result.out.contains("wrote \(dir)/2025_test.lua (the tests of policies/ganzhou/2024_test.lua"), "\(result.out)")
        let tests = String(decoding: FileManager.default.contents(atPath: dir + "/2025_test.lua") ?? Data(), as: UTF8.self)
        #expect(tests.hasPrefix("-- kaohe new: copied from policies/ganzhou/2024_test.lua with 2025.lua."))
        let run = KaoheCommand.capture(["test", target])
        #expect(run.code == 0, "\(run.out)\(run.err)")
        #expect(run.out.contains("→ ganzhou-2025"), "\(run.out)")
        // an edit to a threshold: a copied test now fails and names the rule
        let edited = String(decoding: FileManager.default.contents(atPath: target)!, as: UTF8.self)
            .replacingOccurrences(of: "{ below = 110, points = 0", with: "{ below = 105, points = 0")
        #expect(edited.contains("below = 105"))
        try Data(edited.utf8).write(to: URL(fileURLWithPath: target))
        let failing = KaoheCommand.capture(["test", target])
        #expect(failing.code == 1)
        #expect(failing.out.contains("FAIL"), "\(failing.out)")
    }

    @Test func outputFileIsWrittenWhole() throws {
        let dir = TemporaryDirectory.make("kaohe-out")
        let out = dir + "/ranking.csv"
        let ok = KaoheCommand.capture(["score"] + Self.sample + ["--format", "csv", "--output", out])
        #expect(ok.code == 0)
        #expect(ok.out.isEmpty)
        let direct = KaoheCommand.capture(["score"] + Self.sample + ["--format", "csv"])
        #expect(String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self) == direct.out)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["ranking.csv"])
    }

    @Test func noOutputFileIsLeftOnError() throws {
        let dir = TemporaryDirectory.make("kaohe-out")
        let result = KaoheCommand.capture(["score", "--policy", "policies/ganzhou/2023.lua", "--data",
                                           "Tests/KaoheCLITests/Fixtures/bad-ganzhou", "--output", dir + "/r.json"])
        #expect(result.code == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }
}

/// `--save`, `kaohe history`, article 17's bottom20-twice and `kaohe compare RUN_A RUN_B`, on a real
/// SQLite file.
@Suite(.serialized) struct HistoryCommandTests {
    init() {
        _ = FileManager.default.changeCurrentDirectoryPath(Repository.root)
    }

    @Test func savedRunsGiveMultiYearBandsAndCompare() throws {
        let dir = NSTemporaryDirectory() + "kaohe-history-" + UUID().uuidString
        let db = dir + "/h.sqlite"
        let y2023 = ["score", "--policy", "policies/ganzhou/2023.lua", "--data", "policies/ganzhou/sample-2023", "--db", db]
        let y2024 = ["score", "--policy", "policies/ganzhou/2024.lua", "--data", "policies/ganzhou/sample-2024", "--db", db]

        // without history the 2024 ranking has no bottom20-twice
        let plain = KaoheCommand.capture(y2024 + ["--format", "csv", "--lang", "en"])
        #expect(!plain.out.contains("bottom20-twice"))

        let first = KaoheCommand.capture(y2023 + ["--save", "--label", "初评"])
        #expect(first.code == 0)
        #expect(first.err.contains("saved run 1 to \(db)"))
        let again = KaoheCommand.capture(y2023 + ["--save"])
        #expect(again.err.contains("not saved again: run 1"))

        let second = KaoheCommand.capture(y2024 + ["--save", "--format", "csv", "--lang", "en"])
        #expect(second.err.contains("saved run 2"))
        // bottom20 in both years: bottom20-twice; bottom20 only this year: not
        let rows = second.out.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let twice = Set(rows.filter { $0[4].contains("bottom20-twice") }.map { String($0[1]) })
        let y23 = KaoheCommand.capture(y2023 + ["--format", "csv", "--lang", "en"]).out.split(separator: "\r\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let bottom23 = Set(y23.filter { $0[4].contains("bottom20") }.map { String($0[1]) })
        let bottom24 = Set(rows.filter { $0[4].contains("bottom20") }.map { String($0[1]) })
        #expect(!twice.isEmpty)
        #expect(twice == bottom23.intersection(bottom24))
        // the stored 2024 run has the band too
        let shown = KaoheCommand.capture(["history", "show", "2", "--db", db, "--format", "json"])
        #expect(shown.out.contains("bottom20-twice"))

        let list = KaoheCommand.capture(["history", "list", "--db", db])
        #expect(list.out.contains("ganzhou-2024"))
        #expect(list.out.contains("初评"))

        let compare = KaoheCommand.capture(["compare", "1", "2", "--db", db, "--format", "json"])
        #expect(compare.code == 0, "\(compare.err)")
        #expect(compare.out.contains("\"band\": \"bottom20-twice\""))

        let missing = KaoheCommand.capture(["history", "show", "9", "--db", db])
        #expect(missing.code == 1)
        #expect(missing.err.contains("no run 9"))
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// Issue 3's acceptance: edit a threshold in a copy of the 2023 policy, then `diff`, `test` and `compare`
/// show the change, the failing test that pins the old threshold, and exactly which units move.
@Suite(.serialized) struct EditedPolicyTests {
    init() {
        _ = FileManager.default.changeCurrentDirectoryPath(Repository.root)
    }

    @Test func diffTestAndCompareShowAThresholdEdit() throws {
        let dir = TemporaryDirectory.make("kaohe-edit")
        let source = try String(contentsOfFile: "policies/ganzhou/2023.lua", encoding: .utf8)
        let edited = source.replacingOccurrences(of: "{ below = 120, points = 0, label = \"参学率100%—120%\" }",
                                                 with: "{ below = 115, points = 0, label = \"参学率100%—115%\" }")
        #expect(edited != source)
        try Data(edited.utf8).write(to: URL(fileURLWithPath: dir + "/2023.lua"))
        try FileManager.default.copyItem(atPath: "policies/ganzhou/2023_test.lua", toPath: dir + "/2023_test.lua")

        let diff = KaoheCommand.capture(["diff", "policies/ganzhou/2023.lua", dir + "/2023.lua"])
        #expect(diff.out.contains("params.tiers[2].below  120"))
        #expect(diff.out.contains("115"))

        let test = KaoheCommand.capture(["test", dir + "/2023.lua"])
        #expect(test.code == 1)
        #expect(test.out.contains("FAIL  test_study_rate_119_99_scores_nothing"))
        #expect(test.out.contains("第九条 “青年大学习”参学率 (study): expected 0, got +2"))

        let compare = KaoheCommand.capture(["compare", "--policy", "policies/ganzhou/2023.lua", "--policy", dir + "/2023.lua",
                                            "--data", "policies/ganzhou/sample-2023", "--format", "json"])
        #expect(compare.code == 0)
        // every unit that moved moved because of the study rule alone, by exactly its change
        let json = try JSONSerialization.jsonObject(with: Data(compare.out.utf8)) as! [String: Any]
        let units = json["units"] as! [[String: Any]]
        let moved = units.filter { ($0["delta"] as! NSNumber).doubleValue != 0 }
        #expect(!moved.isEmpty)
        for u in moved {
            let rules = u["rules"] as! [[String: Any]]
            #expect(rules.map { $0["rule"] as! String } == ["study"])
            #expect((rules[0]["delta"] as! NSNumber).doubleValue == (u["delta"] as! NSNumber).doubleValue)
        }
        try? FileManager.default.removeItem(atPath: dir)
    }
}

/// Issue 4's Excel loop: `kaohe form` writes each county's form, a script fills it through openpyxl, and
/// `--data` reads the filled forms back as the self-check table; `--format xlsx` opens in openpyxl.
@Suite(.serialized) struct FormCommandTests {
    init() {
        _ = FileManager.default.changeCurrentDirectoryPath(Repository.root)
    }

    @Test func formsFilledByOpenpyxlScoreAsExpected() throws {
        let dir = NSTemporaryDirectory() + "kaohe-forms-" + UUID().uuidString
        let forms = dir + "/forms"
        let made = KaoheCommand.capture(["form", "--policy", "policies/guangyuan/2014.lua", "--data",
                                         "policies/guangyuan/sample-2014", "--output", forms])
        #expect(made.code == 0, "\(made.err)")
        #expect(made.out == "wrote 7 forms to \(forms)\n")
        for t in ["units", "results", "targets"] {
            try FileManager.default.copyItem(atPath: "policies/guangyuan/sample-2014/\(t).csv", toPath: forms + "/\(t).csv")
        }
        // every county claims the row's maximum on every row, and explains nothing
        guard try Python.openpyxl("""
            import glob, openpyxl
            for f in glob.glob('\(forms)/*.xlsx'):
                wb = openpyxl.load_workbook(f)
                ws = wb['自查评分表']
                hdr = next(r for r in range(1, 8) if '自查得分' in [c.value for c in ws[r]])
                cols = {c.value: c.column for c in ws[hdr]}
                for r in range(hdr + 1, ws.max_row + 1):
                    if ws.cell(r, cols['分值']).value is not None:
                        ws.cell(r, cols['自查得分']).value = ws.cell(r, cols['分值']).value
                        ws.cell(r, cols['完成情况']).value = '已完成'
                wb.save(f)
            """) != nil else { return }
        let scored = KaoheCommand.capture(["score", "--policy", "policies/guangyuan/2014.lua", "--data", forms])
        #expect(scored.code == 0, "\(scored.err)")
        // self totals are 135 for all seven; the verified totals are the sample's
        let sample = KaoheCommand.capture(["score", "--policy", "policies/guangyuan/2014.lua", "--data", "policies/guangyuan/sample-2014", "--format", "csv"])
        for line in scored.out.split(separator: "\n").dropFirst(2).prefix(7) {
            let cells = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(cells[4] == "135", "\(line)")
            #expect(sample.out.contains(",\(cells[1]),\(cells[2]),\(cells[3]),"), "\(line)")
        }
        let report = KaoheCommand.capture(["score", "--policy", "policies/guangyuan/2014.lua", "--data", forms, "--format", "selfcheck"])
        #expect(report.out.contains("自查高于核定"))
        #expect(!report.out.contains("GY07"), "Cangxi met every target: nothing to review")
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test func shippedFilledFormsScoreLikeTheCSVSample() {
        for format in ["table", "selfcheck"] {
            let forms = KaoheCommand.capture(["score", "--policy", "policies/guangyuan/2014.lua", "--data",
                                              "policies/guangyuan/sample-2014-forms", "--format", format])
            let csv = KaoheCommand.capture(["score", "--policy", "policies/guangyuan/2014.lua", "--data",
                                            "policies/guangyuan/sample-2014", "--format", format])
            #expect(forms.code == 0, "\(forms.err)")
            #expect(forms.out == csv.out)
        }
    }

    /// A copy of the shipped forms folder in a fresh folder.
    static func formsCopy() throws -> String {
        let dir = NSTemporaryDirectory() + "kaohe-forms-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: "policies/guangyuan/sample-2014-forms", toPath: dir)
        return dir
    }

    @Test func twoFormsForOneUnitAreAnErrorNamingBoth() throws {
        let dir = try Self.formsCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // what a re-download or a resend leaves beside the first
        try FileManager.default.copyItem(atPath: dir + "/GY03-朝天区.xlsx", toPath: dir + "/GY03-朝天区(1).xlsx")
        let r = KaoheCommand.capture(["score", "--policy", "policies/guangyuan/2014.lua", "--data", dir])
        #expect(r.code != 0 && r.out.isEmpty)
        #expect(r.err.contains("two self-check forms for unit 'GY03': GY03-朝天区(1).xlsx and GY03-朝天区.xlsx"), "\(r.err)")
        #expect(r.err.contains("nothing was scored"))
    }

    @Test func aUnitWithoutAFormIsAWarningInEveryReport() throws {
        let dir = try Self.formsCopy()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 青川县 sent its form as .xls, which kaohe cannot read; 剑阁县 sent nothing
        try FileManager.default.moveItem(atPath: dir + "/GY05-青川县.xlsx", toPath: dir + "/GY05-青川县.xls")
        try FileManager.default.removeItem(atPath: dir + "/GY06-剑阁县.xlsx")
        let base = ["score", "--policy", "policies/guangyuan/2014.lua", "--data", dir]
        let table = KaoheCommand.capture(base)
        #expect(table.code == 0, "\(table.err)")
        #expect(table.out.contains("注意：GY05 青川县：未提交自查评分表") && table.out.contains("GY05-青川县.xls 可能是该单位的表"), "\(table.out)")
        #expect(table.out.contains("注意：GY06 剑阁县：未提交自查评分表"))
        #expect(table.out.split(separator: "\n").contains { $0.contains("GY06") && $0.contains("未提交自查表") })
        let selfcheck = KaoheCommand.capture(base + ["--format", "selfcheck"])
        let rows = selfcheck.out.split(separator: "\n").filter { $0.hasPrefix("GY06") }
        #expect(rows.count == 1 && rows[0].contains("未提交自查表"), "one row for the unit, not one per rule: \(rows)")
        let csv = KaoheCommand.capture(base + ["--format", "csv"])
        #expect(csv.out.hasPrefix("\u{FEFF}排名,编号,单位,总分,自查得分,差,等次,备注\r\n"))
        #expect(csv.out.split(separator: "\r\n").contains { $0.contains(",GY06,") && $0.hasSuffix(",未提交自查表") })
        let json = KaoheCommand.capture(base + ["--format", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        let warnings = object?["warnings"] as? [[String: Any]] ?? []
        #expect(warnings.map { $0["unit"] as? String } == ["GY05", "GY06"])
        #expect(warnings.first?["unreadable"] as? String == "GY05-青川县.xls")
        let results = object?["results"] as? [[String: Any]] ?? []
        #expect(results.filter { $0["submitted"] as? Bool == false }.compactMap { $0["unit"] as? String }.sorted() == ["GY05", "GY06"])
        for format in ["markdown", "html"] {
            let out = KaoheCommand.capture(base + ["--format", format]).out
            #expect(out.contains("GY06 剑阁县：未提交自查评分表"), "\(format)")
        }
    }

    @Test func resultsWorkbookOpensInOpenpyxl() throws {
        let file = NSTemporaryDirectory() + "kaohe-results-" + UUID().uuidString + ".xlsx"
        let r = KaoheCommand.capture(["score", "--policy", "policies/ganzhou/2023.lua", "--data", "policies/ganzhou/sample-2023",
                                      "--format", "xlsx", "--output", file])
        #expect(r.code == 0, "\(r.err)")
        guard let out = try Python.openpyxl("""
            import openpyxl
            wb = openpyxl.load_workbook('\(file)')
            ws = wb.worksheets[0]
            print(len(wb.worksheets), ws.cell(2, 2).value, ws.cell(2, 4).value, ws.max_row)
            """) else { return }
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "2 GZ06 223 24")
        // the line items carry the notes tally() makes (they were left empty), wrapped
        guard let notes = try Python.openpyxl("""
            import openpyxl
            ws = openpyxl.load_workbook('\(file)').worksheets[1]
            assert ws.cell(1, 6).value == '说明', ws.cell(1, 6).value
            rows = [ws.cell(r, 6).value for r in range(2, ws.max_row + 1)]
            print(sum(1 for v in rows if v), len(rows), ws.cell(2, 6).alignment.wrap_text)
            """)?.split(separator: " ") else { return }
        #expect(notes.count == 3 && Int(notes[0]) ?? 0 > 100 && notes[1] == "161", "\(notes)")
        // a self-check policy's ranking has the self-check total, the difference and the remarks
        let gy = NSTemporaryDirectory() + "kaohe-results-gy-" + UUID().uuidString + ".xlsx"
        #expect(KaoheCommand.capture(["score", "--policy", "policies/guangyuan/2014.lua", "--data", "policies/guangyuan/sample-2014",
                                      "--format", "xlsx", "--output", gy]).code == 0)
        guard let header = try Python.openpyxl("""
            import openpyxl
            ws = openpyxl.load_workbook('\(gy)').worksheets[0]
            print(','.join(str(ws.cell(1, c).value) for c in range(1, ws.max_column + 1)), ws.cell(2, 5).value, ws.cell(2, 6).value)
            """) else { return }
        #expect(header.trimmingCharacters(in: .whitespacesAndNewlines) == "排名,编号,单位,总分,自查得分,差,等次,备注 135 0", "\(header)")
        try? FileManager.default.removeItem(atPath: gy)
        try? FileManager.default.removeItem(atPath: file)
        let missing = KaoheCommand.capture(["score", "--policy", "policies/ganzhou/2023.lua", "--data", "policies/ganzhou/sample-2023", "--format", "xlsx"])
        #expect(missing.code == 2)
    }
}
