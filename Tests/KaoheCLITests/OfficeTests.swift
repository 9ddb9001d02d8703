import Foundation
import Testing
import Kaohe
import KaoheCLI
import KaoheTestSupport

/// The workbooks kaohe writes, printed the way an office prints them: LibreOffice (headless) turns them into a
/// PDF, and poppler reads the pages back. Every page must be one page wide (all the columns on it, the header
/// repeated), A4; and a form filled in LibreOffice must score as the same figures typed into CSV.
///
/// Runs when LibreOffice is found (soffice on PATH); with KAOHE_OFFICE_TESTS=1 (CI) a missing LibreOffice
/// fails instead. scripts/setup-office installs it.
@Suite(.serialized, .enabled(if: Office.wanted, "no LibreOffice found (run scripts/setup-office)"))
struct OfficeTests {
    init() {
        _ = FileManager.default.changeCurrentDirectoryPath(Repository.root)
    }

    /// The visible columns of a self-check form.
    static let formColumns = ["填报单位", "考核内容", "分值", "目标", "实际完成", "自查得分", "完成情况", "未完成情况说明"]

    /// `xlsx` printed to PDF by LibreOffice; each page's text.
    static func printed(_ xlsx: String, in work: inout Workspace) throws -> (pages: [String], size: String) {
        let soffice = try Office.require()
        let profile = "file://" + work.file("lo-profile")
        let run = try work.run(soffice, ["-env:UserInstallation=\(profile)", "--headless", "--convert-to", "pdf", "--outdir", work.directory, xlsx],
                               timeout: 300)
        let pdf = work.file(((xlsx as NSString).lastPathComponent as NSString).deletingPathExtension + ".pdf")
        work.expect(run.status == 0 && FileManager.default.fileExists(atPath: pdf), "LibreOffice wrote no PDF: \(run.err)")
        let info = try work.run(try Browser.tool("pdfinfo"), [pdf]).out
        let count = info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        let size = info.split(separator: "\n").first { $0.hasPrefix("Page size:") }.map(String.init) ?? ""
        var pages: [String] = []
        for page in 1...max(count, 1) where count > 0 {
            pages.append(try work.run(try Browser.tool("pdftotext"), ["-f", "\(page)", "-l", "\(page)", "-layout", pdf, "-"]).out)
        }
        return (pages, size)
    }

    /// Whether `page` has every header of `columns` on one line, left to right.
    static func hasHeaderLine(_ page: String, _ columns: [String]) -> Bool {
        page.split(separator: "\n").contains { line in
            var rest = Substring(line)
            for c in columns {
                guard let r = rest.range(of: c) else { return false }
                rest = rest[r.upperBound...]
            }
            return true
        }
    }

    /// Runs kaohe with `arguments` and requires it to succeed.
    static func kaohe(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = KaoheCommand.capture(arguments)
        try #require(r.code == 0, "kaohe \(arguments.joined(separator: " ")): \(r.err)", sourceLocation: sourceLocation)
    }

    /// The blank form of a Guangyuan county, written by `kaohe form`.
    static func blankForm(_ unit: String, to file: String) throws {
        try kaohe(["form", "--policy", "policies/guangyuan/2014.lua", "--data", "policies/guangyuan/sample-2014", "--unit", unit, "--output", file])
    }

    @Test func aBlankFormPrintsOnePageWideWithItsHeaderOnEveryPage() throws {
        var work = try Workspace("office-form")
        defer { work.finish() }
        let blank = work.file("form.xlsx")
        try Self.blankForm("GY03", to: blank)
        let (pages, size) = try Self.printed(blank, in: &work)
        // 32 indicator rows: landscape A4, a few pages tall, never a page of leftover columns
        work.expect(size.contains("841.89 x 595.") || size.contains("842 x 595"), "not landscape A4: \(size)")
        work.expect((1...4).contains(pages.count), "\(pages.count) pages")
        for (i, page) in pages.enumerated() {
            work.expect(Self.hasHeaderLine(page, Self.formColumns), "page \(i + 1) lacks the header row with every column:\n\(page.prefix(600))")
        }
        work.expect(pages.first?.contains("共青团广元市委目标绩效考核 2014 自查评分表") == true, "no title on page 1")
        let last = pages.last ?? ""
        for label in ["填报单位（盖章）", "填报人", "审核人", "日期"] {
            work.expect(last.contains(label), "the last page has no '\(label)' line")
        }
        // the hidden indicator ids never print
        work.expect(!pages.joined().contains("indicator"), "the hidden id column printed")
    }

    /// What a county types into its form for each indicator, from the sample's self-check CSV: 实际完成 for a
    /// rule with one part, 自查得分, 完成情况 and 未完成情况说明.
    static func typedValues(unit: String) throws -> [String: [String: String]] {
        let text = try String(contentsOfFile: "policies/guangyuan/sample-2014/selfcheck.csv", encoding: .utf8)
        let rows = HostileOutputTests.parseCSV(text)
        let header = rows[0]
        func col(_ name: String) -> Int { header.firstIndex(of: name)! }
        var parts: [String: [String]] = [:]
        var out: [String: [String: String]] = [:]
        for row in rows.dropFirst() where row.count == header.count && row[col("unit_id")] == unit {
            let indicator = row[col("indicator")]
            if row[col("part")].isEmpty {
                out[indicator, default: [:]]["self"] = row[col("self_score")]
                out[indicator, default: [:]]["completed"] = row[col("completed")]
                out[indicator, default: [:]]["reason"] = row[col("reason")]
            } else {
                parts[indicator, default: []].append(row[col("actual")])
            }
        }
        for (indicator, actuals) in parts where actuals.count == 1 { out[indicator, default: [:]]["actual"] = actuals[0] }
        return out
    }

    /// Fills `blank` in LibreOffice (scripts/lo-fill-form, Python's UNO bridge) with `values`, typed as a person types.
    static func fill(_ blank: String, _ values: [String: [String: String]], into out: String, in work: inout Workspace) throws {
        let json = work.file(((out as NSString).lastPathComponent as NSString).deletingPathExtension + ".json")
        try JSONSerialization.data(withJSONObject: values, options: [.sortedKeys]).write(to: URL(fileURLWithPath: json))
        let run = try work.run("/usr/bin/env", ["python3", "scripts/lo-fill-form", blank, json, out], timeout: 300)
        work.expect(run.status == 0 && FileManager.default.fileExists(atPath: out), "lo-fill-form failed (\(run.status)): \(run.err.suffix(2000))")
    }

    @Test func formsFilledInLibreOfficeScoreAsTheCSV() throws {
        var work = try Workspace("office-fill")
        defer { work.finish() }
        // the shipped forms folder, with two counties' forms filled again in LibreOffice from blank ones
        let folder = work.file("forms")
        try FileManager.default.copyItem(atPath: "policies/guangyuan/sample-2014-forms", toPath: folder)
        for (unit, name) in [("GY01", "利州区"), ("GY02", "昭化区")] {
            let blank = work.file("blank-\(unit).xlsx")
            try Self.blankForm(unit, to: blank)
            let filled = folder + "/\(unit)-\(name).xlsx"
            try FileManager.default.removeItem(atPath: filled)
            try Self.fill(blank, try Self.typedValues(unit: unit), into: filled, in: &work)
        }
        for format in ["table", "selfcheck", "json"] {
            let forms = KaoheCommand.capture(["score", "--policy", "policies/guangyuan/2014.lua", "--data", folder, "--format", format])
            let csv = KaoheCommand.capture(["score", "--policy", "policies/guangyuan/2014.lua", "--data", "policies/guangyuan/sample-2014", "--format", format])
            work.expect(forms.code == 0, "\(forms.err)")
            // the data digest differs (other files); everything else is the same
            let strip = { (s: String) in s.split(separator: "\n").filter { !$0.contains("sha256") }.joined(separator: "\n") }
            work.expect(strip(forms.out) == strip(csv.out), "\(format): LibreOffice-filled forms score differently from the CSV")
        }
        // a filled form prints one page wide, like the blank one
        let (pages, _) = try Self.printed(folder + "/GY01-利州区.xlsx", in: &work)
        for (i, page) in pages.enumerated() {
            work.expect(Self.hasHeaderLine(page, Self.formColumns), "filled form page \(i + 1) lacks the header with every column")
        }
        work.expect(pages.joined().contains("已完成"), "the filled entries are not on the printed pages")
    }

    /// A county that saved its form as Excel 97-2003 (.xls, written here by LibreOffice): kaohe cannot read
    /// it, so the unit is reported as not submitted, with the file named; a second .xlsx for one unit is an error.
    @Test func aFormSavedAsXlsIsNamedAndACopyIsAnError() throws {
        var work = try Workspace("office-xls")
        defer { work.finish() }
        let folder = work.file("forms")
        try FileManager.default.copyItem(atPath: "policies/guangyuan/sample-2014-forms", toPath: folder)
        let soffice = try Office.require()
        let run = try work.run(soffice, ["-env:UserInstallation=file://" + work.file("lo-profile"), "--headless", "--convert-to", "xls",
                                         "--outdir", folder, folder + "/GY05-青川县.xlsx"], timeout: 300)
        work.expect(run.status == 0 && FileManager.default.fileExists(atPath: folder + "/GY05-青川县.xls"), "no .xls: \(run.err)")
        try FileManager.default.removeItem(atPath: folder + "/GY05-青川县.xlsx")
        let scored = KaoheCommand.capture(["score", "--policy", "policies/guangyuan/2014.lua", "--data", folder])
        work.expect(scored.code == 0, "\(scored.err)")
        work.expect(scored.out.contains("注意：GY05 青川县：未提交自查评分表") && scored.out.contains("GY05-青川县.xls 可能是该单位的表"), "\(scored.out)")
        // the same county's form twice
        try FileManager.default.copyItem(atPath: folder + "/GY03-朝天区.xlsx", toPath: folder + "/GY03-朝天区(1).xlsx")
        let twice = KaoheCommand.capture(["score", "--policy", "policies/guangyuan/2014.lua", "--data", folder])
        work.expect(twice.code == 1 && twice.err.contains("two self-check forms for unit 'GY03'"), "\(twice.err)")
    }

    @Test func percentagesTypedInLibreOfficeReadAsShown() throws {
        var work = try Workspace("office-percent")
        defer { work.finish() }
        let blank = work.file("blank.xlsx"), filled = work.file("filled.xlsx")
        try Self.blankForm("GY03", to: blank)
        // typing 95% stores 0.95 with a percent format; 108% likewise; a date is refused
        try Self.fill(blank, ["r01": ["actual": "95%", "self": "3"], "r02": ["actual": "108%", "self": "2.5"]], into: filled, in: &work)
        let rows = try SelfCheckForm.read(file: filled).rows
        work.expect(rows.first { $0.indicator == "r01" }?.actual == 95, "95% read as \(String(describing: rows.first { $0.indicator == "r01" }?.actual))")
        work.expect(rows.first { $0.indicator == "r02" }?.actual == 108, "108% read as \(String(describing: rows.first { $0.indicator == "r02" }?.actual))")
        try Self.fill(blank, ["r01": ["actual": "2024-01-05"]], into: work.file("dated.xlsx"), in: &work)
        let e = #expect(throws: DataError.self) { try SelfCheckForm.read(file: work.file("dated.xlsx")) }
        work.expect(e?.diagnostics.first?.message.contains("holds a date (2024-01-05)") == true, "\(String(describing: e))")
    }

    /// A 100,000-row table saved by LibreOffice (its sheet part is over libxml2's default 10 MB limit), as a
    /// one-table workbook in a data folder.
    @Test func aBigSheetSavedByLibreOfficeReads() throws {
        var work = try Workspace("office-big")
        defer { work.finish() }
        let folder = work.file("data")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("unit_id,name\nU1,甲\nU2,乙\n".utf8).write(to: URL(fileURLWithPath: folder + "/units.csv"))
        var csv = "unit_id,rate,remark\n"
        for i in 0..<100_000 { csv += "U\(i % 2 + 1),\(100 + i % 50),按时完成第\(i)期\n" }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: work.file("study.csv")))
        let soffice = try Office.require()
        let run = try work.run(soffice, ["-env:UserInstallation=file://" + work.file("lo-profile"), "--headless", "--infilter=CSV:44,34,76,1",
                                         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", folder, work.file("study.csv")], timeout: 600)
        work.expect(run.status == 0 && FileManager.default.fileExists(atPath: folder + "/study.xlsx"), "LibreOffice wrote no study.xlsx: \(run.err)")
        let policy = work.file("p.lua")
        try Data("""
            return { id = "big", title = "Big", year = 2024, base = 0,
              inputs = { units = { "unit_id: text", "name: text" }, study = { "unit_id: text", "rate: percent" } },
              rules = { { id = "r", citation = "第一条", title = "R", score = function(u) return count(u.study) end } } }
            """.utf8).write(to: URL(fileURLWithPath: policy))
        let scored = KaoheCommand.capture(["score", "--policy", policy, "--data", folder, "--format", "csv", "--lang", "en"])
        work.expect(scored.code == 0, "\(scored.err)")
        work.expect(scored.out.contains(",U1,甲,50000,") && scored.out.contains(",U2,乙,50000,"), "\(scored.out)")
    }

    /// kaohe's CSV opened as a spreadsheet opens a double-clicked file: LibreOffice's CSV import with no
    /// character set given (it detects the byte order mark) keeps every Chinese name, and the labels.
    @Test func theCSVOpensWithItsChineseIntact() throws {
        var work = try Workspace("office-csv")
        defer { work.finish() }
        let csv = work.file("ranking.csv")
        try Self.kaohe(["score", "--policy", "policies/ganzhou/2023.lua", "--data", "policies/ganzhou/sample-2023", "--format", "csv", "--output", csv])
        let soffice = try Office.require()
        // 44: comma, 34: double quote, no character set: what a double-click gives
        let run = try work.run(soffice, ["-env:UserInstallation=file://" + work.file("lo-profile"), "--headless", "--infilter=CSV:44,34",
                                         "--convert-to", "pdf", "--outdir", work.directory, csv], timeout: 300)
        work.expect(run.status == 0, "\(run.err)")
        let text = try work.run(try Browser.tool("pdftotext"), ["-layout", work.file("ranking.pdf"), "-"]).out
        for expected in ["排名", "编号", "单位", "总分", "等次", "梁家墩镇", "前20%·推荐"] {
            work.expect(text.contains(expected), "'\(expected)' is not on the page LibreOffice made of the CSV:\n\(text.prefix(800))")
        }
    }

    @Test func theResultsWorkbookPrintsOnePageWide() throws {
        var work = try Workspace("office-results")
        defer { work.finish() }
        let book = work.file("results.xlsx")
        try Self.kaohe(["score", "--policy", "policies/guangyuan/2014.lua", "--data", "policies/guangyuan/sample-2014", "--format", "xlsx", "--output", book])
        let (pages, _) = try Self.printed(book, in: &work)
        // the ranking (every column the terminal table has), then the line items with their notes
        work.expect(Self.hasHeaderLine(pages.first ?? "", ["排名", "编号", "单位", "总分", "自查得分", "差", "等次", "备注"]),
                    "page 1 lacks the ranking header:\n\((pages.first ?? "").prefix(600))")
        let items = pages.dropFirst().filter { $0.contains("得分") }
        work.expect(!items.isEmpty, "no line-item pages")
        for page in items {
            work.expect(Self.hasHeaderLine(page, ["编号", "单位", "条款", "项目", "得分", "说明", "上限/下限"]), "a line-item page lacks its header:\n\(page.prefix(600))")
        }
    }

    /// A grouped ranking with vetoes and totals to one decimal (2025): LibreOffice prints 138.0, not 138, because
    /// the cell carries the number format; the group, veto and remark columns print on the same page.
    @Test func aGroupedWorkbookPrintsTotalsWithTheirDecimals() throws {
        var work = try Workspace("office-grouped")
        defer { work.finish() }
        let book = work.file("results.xlsx")
        try Self.kaohe(["score", "--policy", "policies/ganzhou/2025.lua", "--data", "policies/ganzhou/sample-2025", "--format", "xlsx", "--output", book])
        let (pages, _) = try Self.printed(book, in: &work)
        let first = pages.first ?? ""
        work.expect(Self.hasHeaderLine(first, ["组别", "排名", "编号", "单位", "总分", "等次", "一票否决", "备注"]),
                    "page 1 lacks the grouped header:\n\(first.prefix(600))")
        let row = first.split(separator: "\n").first { $0.contains("南街街道") }.map(String.init) ?? ""
        work.expect(row.contains("街道") && row.contains("138.0"), "南街街道's row: \(row)")
        let vetoed = first.split(separator: "\n").first { $0.contains("靖安乡") }.map(String.init) ?? ""
        work.expect(vetoed.contains("211.8") && vetoed.contains("团费收缴率低于90%"), "靖安乡's row: \(vetoed)")
    }
}

/// Finding LibreOffice.
enum Office {
    static let environment = ProcessInfo.processInfo.environment
    static let required = environment["KAOHE_OFFICE_TESTS"] == "1"
    static let executable: String? = ["soffice", "libreoffice"].lazy.compactMap(Browser.which).first
    static var wanted: Bool { executable != nil || required }

    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(executable, "no soffice on PATH; run scripts/setup-office to install libreoffice-calc-nogui", sourceLocation: sourceLocation)
    }
}
