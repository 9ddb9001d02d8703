import LuaRuntime
import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// Workbooks as offices fill them: percentages, formulas with empty results, logical values, dates, numbers
/// saved with 17 digits, big sheets, title rows, one workbook per table. Each either reads as the person
/// meant it or fails with the sheet, the cell and what to do; none changes a score silently.
@Suite struct SpreadsheetTests {
    static let ns = XLSXTests.ns

    /// A policy with a units table and a study table whose `rate` has the type given.
    static func policy(rate: String = "percent", units: String = "\"unit_id: text\", \"name: text\"") throws -> Policy {
        try Support.policy("""
            return { id = "sheet-test", title = "Sheet test", year = 2024, base = 0,
              inputs = { units = { \(units) }, study = { "unit_id: text", "rate: \(rate)" } },
              rules = { { id = "r", title = "R", score = function(u) return sum(u.study, "rate") end } } }
            """)
    }

    /// Cell formats: 0 general, 1 `0%` (built-in 9), 2 `0.00%` (10), 3 custom `0.0%`, 4 custom `0.00"%"` (a
    /// quoted sign: not a percentage), 5 a date (14), 6 custom `[Red]#,##0.0%;-0.0%`.
    static let styles = """
        <styleSheet xmlns="\(ns)"><numFmts count="3"><numFmt numFmtId="164" formatCode="0.0%"/>\
        <numFmt numFmtId="165" formatCode="0.00&quot;%&quot;"/><numFmt numFmtId="166" formatCode="[Red]#,##0.0%;-0.0%"/></numFmts>\
        <cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="10"/><xf numFmtId="164"/><xf numFmtId="165"/>\
        <xf numFmtId="14"/><xf numFmtId="166"/></cellXfs></styleSheet>
        """

    /// A worksheet part from rows of raw cell XML (`<c …>…</c>`), row numbers from 1.
    static func sheetXML(_ rows: [String]) -> String {
        "<worksheet xmlns=\"\(ns)\"><sheetData>" + rows.enumerated().map { "<row r=\"\($0.offset + 1)\">\($0.element)</row>" }.joined()
            + "</sheetData></worksheet>"
    }

    static func text(_ ref: String, _ s: String) -> String { "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(s)</t></is></c>" }
    static func number(_ ref: String, _ v: String, style: Int = 0) -> String { "<c r=\"\(ref)\" s=\"\(style)\"><v>\(v)</v></c>" }

    static let unitsSheet = sheetXML([text("A1", "unit_id") + text("B1", "name"), text("A2", "U1") + text("B2", "甲"),
                                      text("A3", "U2") + text("B3", "乙")])

    /// A workbook file with the sheets given (name → part XML) and `styles`.
    static func workbook(_ sheets: [(String, String)]) throws -> String {
        let rel = XLSXTests.rel
        var parts: [(String, String)] = [
            ("_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
            ("xl/workbook.xml", "<workbook xmlns=\"\(ns)\" xmlns:r=\"\(rel)\"><sheets>"
                + sheets.enumerated().map { "<sheet name=\"\($0.element.0)\" sheetId=\"\($0.offset + 1)\" r:id=\"s\($0.offset)\"/>" }.joined()
                + "</sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + sheets.indices.map { "<Relationship Id=\"s\($0)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/s\($0).xml\"/>" }.joined()
                + "<Relationship Id=\"st\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/></Relationships>"),
            ("xl/styles.xml", styles),
        ]
        for (i, s) in sheets.enumerated() { parts.append(("xl/worksheets/s\(i).xml", s.1)) }
        let file = (TemporaryDirectory.make() as NSString).appendingPathComponent("book.xlsx")
        try XLSXZip.zip(parts.map { ($0.0, Data($0.1.utf8)) }).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// The study rates as loaded, or the diagnostics (file name only).
    static func load(_ study: [String], rate: String = "percent") throws -> Result<[Double], DataError> {
        let file = try workbook([("units", unitsSheet), ("study", sheetXML([text("A1", "unit_id") + text("B1", "rate")] + study))])
        do {
            let data = try DatasetLoader.loadWorkbook(policy: try policy(rate: rate), file: file)
            let numbers = data.view.tables[1].columns[1].numbers
            return .success((0..<data.tables[1].rowCount).map { row in numbers.map { $0[row] } ?? Double(data.cell(table: 1, row: row, column: 1))! })
        } catch let e as DataError {
            return .failure(DataError(diagnostics: e.diagnostics.map {
                Diagnostic(file: (($0.file ?? "") as NSString).lastPathComponent, line: $0.line, column: $0.column, code: $0.code, message: $0.message)
            }))
        }
    }

    static func problems(_ r: Result<[Double], DataError>) -> [String] {
        if case .failure(let e) = r { return e.diagnostics.map(\.description) }
        return []
    }

    // MARK: percentages

    @Test func percentFormatsAreRecognised() {
        for (code, style) in [("0%", XLSXReader.NumberStyle.percent), ("0.00%", .percent), ("#,##0.0%", .percent),
                              ("[Red]0%", .percent), ("0.00\"%\"", .plain), ("0\\%", .plain), ("0_%", .plain),
                              ("0;0%", .plain), ("0%;-0%", .percent), ("yyyy-mm-dd", .date), ("General", .plain),
                              ("0.00\"分\"", .plain), ("[$-804]yyyy\"年\"m\"月\"", .date), ("0.0E+00", .plain)] {
            #expect(XLSXReader.numberStyle(code) == style, "\(code)")
        }
    }

    @Test func aPercentColumnReadsWhatWasTyped() throws {
        // 108% and 95.5% typed in Excel are stored as 1.08 and 0.955 with a percent format; 1.1 × 100 is
        // 110.00000000000001 in binary and must read 110
        let r = try Self.load([Self.text("A2", "U1") + Self.number("B2", "1.08", style: 1),
                               Self.text("A3", "U1") + Self.number("B3", "0.955", style: 2),
                               Self.text("A4", "U2") + Self.number("B4", "1.1", style: 3),
                               Self.text("A5", "U2") + Self.number("B5", "1.2", style: 6),
                               Self.text("A6", "U2") + Self.text("B6", "95%"),
                               Self.text("A7", "U2") + Self.text("B7", "95 ％"),
                               Self.text("A8", "U1") + Self.number("B8", "97"),
                               Self.text("A9", "U1") + Self.text("B9", "0.5%"),
                               Self.text("A10", "U1") + Self.number("B10", "0"),
                               Self.text("A11", "U1") + Self.number("B11", "0.005", style: 2)])
        #expect(try r.get().sorted() == [0, 0.5, 0.5, 95, 95, 95.5, 97, 108, 110, 120], "\(Self.problems(r))")
    }

    @Test func aPlainFractionInAPercentColumnIsAmbiguous() throws {
        for (cell, shown) in [(Self.number("B2", "0.95"), "0.95"), (Self.text("B2", "0.95"), "0.95"), (Self.number("B2", "1"), "1"),
                              (Self.number("B2", "1.08"), "1.08"), (Self.number("B2", "0.95", style: 4), "0.95")] {
            let got = Self.problems(try Self.load([Self.text("A2", "U1") + cell]))
            #expect(got.count == 1 && got[0].hasPrefix("book.xlsx[study]!B2: column 'rate' holds percentages, and the plain number \(shown) could be a fraction"), "\(got)")
        }
        // CSV and JSON say the same
        let folder = Support.folder(["units.csv": "unit_id,name\nU1,甲\n", "study.csv": "unit_id,rate\nU1,0.95\nU1,95%\nU1,96\n"])
        let csv = #expect(throws: DataError.self) { try DatasetLoader.load(policy: try Self.policy(), path: folder) }
        #expect(csv?.diagnostics.map(\.description) == ["\(folder)/study.csv:2:4: column 'rate' holds percentages, and the plain number 0.95 could be a fraction (95%) or 0.95%; write 95 (or 95%) if it is a fraction, or 0.95% if it really is 0.95 percent"])
        let json = (TemporaryDirectory.make() as NSString).appendingPathComponent("d.json")
        try Data(#"{"units":[{"unit_id":"U1","name":"甲"}],"study":[{"unit_id":"U1","rate":0.95},{"unit_id":"U1","rate":"95%"}]}"#.utf8).write(to: URL(fileURLWithPath: json))
        let j = #expect(throws: DataError.self) { try DatasetLoader.load(policy: try Self.policy(), path: json) }
        #expect(j?.diagnostics.count == 1 && j?.diagnostics[0].message.contains("could be a fraction") == true)
    }

    @Test func aPercentCellInANumberColumnIsRefused() throws {
        let got = Self.problems(try Self.load([Self.text("A2", "U1") + Self.number("B2", "1.08", style: 1)], rate: "number"))
        #expect(got == ["book.xlsx[study]!B2: column 'rate' is declared number, but the cell is formatted as a percentage (it shows 108% and holds 1.08); if the column holds percentages, declare it \"rate: percent\" in the policy, otherwise format the cell as a number (or text) and type the value again"])
        let text = Self.problems(try Self.load([Self.text("A2", "U1") + Self.text("B2", "95%")], rate: "integer"))
        #expect(text.count == 1 && text[0].contains("declare it \"rate: percent\""), "\(text)")
    }

    // MARK: formulas, logical values, dates, digits

    @Test func anEmptyFormulaResultIsAnEmptyCell() throws {
        // =IF(…,"",…) saved by Excel and LibreOffice: t="str", the formula, and an empty cached value
        let empty = ["<c r=\"B2\" t=\"str\"><f>IF(1,\"\",\"x\")</f><v></v></c>", "<c r=\"B2\" t=\"str\"><f>IF(1,\"\",\"x\")</f><v/></c>"]
        for cell in empty {
            let got = Self.problems(try Self.load([Self.text("A2", "U1") + cell]))
            #expect(got.count == 1 && got[0].hasPrefix("book.xlsx[study]!B2: empty value in required column 'rate'"), "\(got)")
            let optional = try Self.load([Self.text("A2", "U1") + cell, Self.text("A3", "U1") + Self.number("B3", "100")], rate: "percent?")
            let rates = try optional.get()
            #expect(rates.count == 2 && rates[0].isNaN && rates[1] == 100, "\(Self.problems(optional))")
        }
        // a formula with no cached value at all was never calculated
        let none = Self.problems(try Self.load([Self.text("A2", "U1") + "<c r=\"B2\"><f>A1</f></c>"]))
        #expect(none.count == 1 && none[0].hasPrefix("book.xlsx[study]!B2: the cell's formula was saved without its result"), "\(none)")
        let noValue = Self.problems(try Self.load([Self.text("A2", "U1") + "<c r=\"B2\" t=\"str\"><f>A1</f></c>"]))
        #expect(noValue.count == 1 && noValue[0].contains("saved without its result"), "\(noValue)")
    }

    @Test func logicalValuesAreFlagsOnly() throws {
        for type in ["integer", "number", "percent", "enum(是, 否)"] {
            let got = Self.problems(try Self.load([Self.text("A2", "U1") + "<c r=\"B2\" t=\"b\"><v>1</v></c>"], rate: type))
            #expect(got.count == 1 && got[0].hasPrefix("book.xlsx[study]!B2: column 'rate' expects ") && got[0].contains("the logical value TRUE"), "\(type): \(got)")
        }
        let flag = try Self.load([Self.text("A2", "U1") + "<c r=\"B2\" t=\"b\"><v>1</v></c>", Self.text("A3", "U2") + "<c r=\"B3\" t=\"b\"><v>0</v></c>"], rate: "flag")
        #expect(try flag.get() == [1, 0])
    }

    @Test func datesInAnyColumnAreRefused() throws {
        for type in ["integer", "number", "percent", "flag", "text"] {
            let got = Self.problems(try Self.load([Self.text("A2", "U1") + Self.number("B2", "45296", style: 5)], rate: type))
            #expect(got.count == 1 && got[0].contains("but the cell holds a date (2024-01-05"), "\(type): \(got)")
        }
        #expect(XLSXDocument.dateText(61) == "1900-03-01")
        #expect(XLSXDocument.dateText(45292) == "2024-01-01")
        #expect(XLSXDocument.dateText(2_958_465) == "9999-12-31")
        #expect(XLSXDocument.dateText(60) == "serial 60")
    }

    @Test func numbersWithMoreThan15DigitsAreRefusedAsInCSV() throws {
        // 99.999999999999986 shows as 100 and would score as below 100
        for (cell, type) in [(Self.number("B2", "99.999999999999986"), "number"), (Self.number("B2", "0.99999999999999989", style: 1), "percent"),
                             (Self.number("B2", "12345678901234567"), "text"), (Self.number("B2", "1.0000000000000002E+2"), "integer")] {
            let got = Self.problems(try Self.load([Self.text("A2", "U1") + cell], rate: type))
            #expect(got.count == 1 && got[0].contains("more than 15 significant digits"), "\(type): \(got)")
        }
        // 15 digits, trailing zeros and exponents are fine
        let ok = try Self.load([Self.text("A2", "U1") + Self.number("B2", "123.456789012345"), Self.text("A3", "U1") + Self.number("B3", "1.5E+2"),
                                Self.text("A4", "U1") + Self.number("B4", "100.00000000000000")], rate: "number")
        #expect(try ok.get() == [123.456789012345, 150, 100], "\(Self.problems(ok))")
    }

    // MARK: size, titles, one workbook per table

    /// libxml2 stops at 10 MB unless told otherwise; this 100,000-row sheet (with a remark column the policy
    /// does not read) is about 13 MB.
    @Test func aSheetOf100000RowsReads() throws {
        var rows: [[XLSXCell]] = [[.text("unit_id"), .text("rate"), .text("备注")]]
        for i in 0..<100_000 { rows.append([.text(i % 2 == 0 ? "U1" : "U2"), .number(Double(100 + i % 50)), .text("按时完成")]) }
        let book = XLSXWorkbook(sheets: [XLSXSheet(name: "units", rows: [[.text("unit_id"), .text("name")], [.text("U1"), .text("甲")], [.text("U2"), .text("乙")]]),
                                         XLSXSheet(name: "study", rows: rows)])
        let data = try book.data()
        let file = (TemporaryDirectory.make() as NSString).appendingPathComponent("big.xlsx")
        try data.write(to: URL(fileURLWithPath: file))
        let part = try #require(try XLSXZip.Reader(bytes: Array(data), file: file, onDisk: false).part("xl/worksheets/sheet2.xml"))
        #expect(part.count > 10_000_000, "\(part.count) bytes")
        let loaded = try DatasetLoader.loadWorkbook(policy: try Self.policy(), file: file)
        #expect(loaded.tables[1].rowCount == 100_000)
        #expect(loaded.rows(table: 1, unit: 0).count == 50_000)
        #expect(loaded.cell(table: 1, row: 99_999, column: 1) == "149")
    }

    @Test func aTitleRowAboveTheHeaderIsSkipped() throws {
        let titled = Self.sheetXML([Self.text("A1", "2023年 单位名单"), Self.text("A2", "unit_id") + Self.text("B2", "name"),
                                    Self.text("A3", "U1") + Self.text("B3", "甲")])
        let study = Self.sheetXML([Self.text("A1", "参学率统计表"), "", Self.text("A3", "unit_id") + Self.text("B3", "rate"),
                                   Self.text("A4", "U1") + Self.number("B4", "96")])
        let data = try DatasetLoader.loadWorkbook(policy: try Self.policy(), file: try Self.workbook([("units", titled), ("study", study)]))
        #expect(data.unitIDs == ["U1"] && data.tables[1].rowCount == 1 && Int(data.tables[1].lines[0]) == 4)
        // a title and no header: the message says the first row looked like a title
        let wrong = Self.sheetXML([Self.text("A1", "2023年 单位名单"), Self.text("A2", "编号") + Self.text("B2", "单位")])
        let e = #expect(throws: DataError.self) { try DatasetLoader.loadWorkbook(policy: try Self.policy(), file: try Self.workbook([("units", wrong), ("study", study)])) }
        let message = e?.diagnostics.first?.description ?? ""
        #expect(message.contains("[units]!A1: missing columns 'unit_id', 'name'") && message.contains("row 1 holds only '2023年 单位名单', which looks like a title"), "\(message)")
    }

    @Test func aFolderOfOneTableWorkbooksReadsLikeCSV() throws {
        let dir = TemporaryDirectory.make()
        let units = XLSXWorkbook(sheets: [XLSXSheet(name: "Sheet1", rows: [[.text("unit_id"), .text("name")], [.text("U1"), .text("甲")], [.text("U2"), .text("乙")]])])
        try units.write(to: (dir as NSString).appendingPathComponent("units.xlsx"))
        try Data("unit_id,rate\nU1,96%\nU2,101\n".utf8).write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("study.csv")))
        let data = try DatasetLoader.load(policy: try Self.policy(), path: dir)
        #expect(data.unitIDs == ["U1", "U2"] && data.tables[0].file.hasSuffix("units.xlsx[Sheet1]"))
        // errors are located in the workbook
        let study = XLSXWorkbook(sheets: [XLSXSheet(name: "study", rows: [[.text("unit_id"), .text("rate")], [.text("U1"), .text("九十")]])])
        try FileManager.default.removeItem(atPath: (dir as NSString).appendingPathComponent("study.csv"))
        try study.write(to: (dir as NSString).appendingPathComponent("study.xlsx"))
        let e = #expect(throws: DataError.self) { try DatasetLoader.load(policy: try Self.policy(), path: dir) }
        #expect(e?.diagnostics.map(\.description) == ["\(dir)/study.xlsx[study]!B2: column 'rate' holds percentages and expects a number such as 95 or 95%, got '九十'"])
        // two visible sheets and none named after the table
        let two = XLSXWorkbook(sheets: [XLSXSheet(name: "A", rows: [[.text("unit_id")]]), XLSXSheet(name: "B", rows: [[.text("unit_id")]])])
        try two.write(to: (dir as NSString).appendingPathComponent("study.xlsx"))
        let e2 = #expect(throws: DataError.self) { try DatasetLoader.load(policy: try Self.policy(), path: dir) }
        #expect(e2?.diagnostics.first?.message.contains("none is named 'study'") == true)
    }

    // MARK: workbooks LibreOffice saved (Fixtures/libreoffice, made by scripts/gen-lo-fixtures)

    static func fixture(_ name: String) -> String { Repository.path("Tests/KaoheTests/Fixtures/libreoffice/" + name) }

    static func loadFixture(_ name: String, rate: String = "percent", units: String = "\"unit_id: text\", \"name: text\"") throws -> Result<Dataset, DataError> {
        do { return .success(try DatasetLoader.load(policy: try policy(rate: rate, units: units), path: fixture(name))) }
        catch let e as DataError { return .failure(e) }
    }

    static func rates(_ d: Dataset) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        let numbers = d.view.tables[1].columns[1].numbers!
        for u in 0..<d.unitCount { out[d.unitIDs[u]] = d.rows(table: 1, unit: u).map { numbers[$0] } }
        return out
    }

    @Test func libreOfficePercentagesReadAsTyped() throws {
        let d = try Self.loadFixture("percent.xlsx").get()
        #expect(Self.rates(d) == ["U1": [108, 95], "U2": [95.5], "U3": [97]])
        // the same cells in a number column: the percent-formatted ones are refused, the text 95% too
        guard case .failure(let e) = try Self.loadFixture("percent.xlsx", rate: "number") else { Issue.record("loaded"); return }
        let where_ = e.diagnostics.map { (($0.file ?? "") as NSString).lastPathComponent }
        #expect(where_ == ["percent.xlsx[study]!B2", "percent.xlsx[study]!B3", "percent.xlsx[study]!B5"], "\(e.diagnostics)")
        #expect(e.diagnostics[0].message.contains("formatted as a percentage (it shows 108% and holds 1.08)"))
    }

    @Test func libreOfficeAmbiguousFractionIsRefused() throws {
        guard case .failure(let e) = try Self.loadFixture("ambiguous.xlsx") else { Issue.record("loaded"); return }
        #expect(e.diagnostics.count == 1 && e.diagnostics[0].file?.hasSuffix("ambiguous.xlsx[study]!B2") == true
                && e.diagnostics[0].message.contains("the plain number 0.95 could be a fraction (95%)"), "\(e.diagnostics)")
    }

    @Test func libreOfficeEmptyFormulaResultsAreEmptyCells() throws {
        let d = try Self.loadFixture("empty-formula.xlsx", rate: "percent?", units: "\"unit_id: text\", \"name: text\", \"memo: text?\"").get()
        #expect((0..<3).map { d.cell(table: 0, row: $0, column: 2) } == ["", "备注", "手填"])
        let rates = Self.rates(d)
        #expect(rates["U1"] == [100] && rates["U3"] == [100] && rates["U2"]?.count == 1 && rates["U2"]?[0].isNaN == true)
        // a required column says the cell is empty, not that the formula was never calculated
        guard case .failure(let e) = try Self.loadFixture("empty-formula.xlsx") else { Issue.record("loaded"); return }
        #expect(e.diagnostics.count == 1 && e.diagnostics[0].message.hasPrefix("empty value in required column 'rate'"), "\(e.diagnostics)")
    }

    @Test func libreOfficeLogicalValuesAndDatesAreRefusedInNumberColumns() throws {
        guard case .failure(let e) = try Self.loadFixture("conversions.xlsx", units: "\"unit_id: text\", \"name: text\", \"n: number\"") else {
            Issue.record("loaded"); return
        }
        let got = e.diagnostics.map { "\((($0.file ?? "") as NSString).lastPathComponent): \($0.message)" }
        #expect(got.count == 2, "\(got)")
        #expect(got.first?.hasPrefix("conversions.xlsx[units]!C2: column 'n' expects a number, but the cell holds the logical value TRUE") == true, "\(got)")
        #expect(got.last?.hasPrefix("conversions.xlsx[units]!C3: column 'n' expects a number, but the cell holds a date (2024-01-05") == true, "\(got)")
        // 0.1+0.2 as LibreOffice saves it (15 digits: 0.3) reads as 0.3; a flag column takes TRUE
        let flags = try Self.loadFixture("conversions.xlsx", units: "\"unit_id: text\", \"name: text\", \"n: flag?\"")
        if case .failure(let f) = flags { #expect(f.diagnostics.count == 2, "\(f.diagnostics)") }
    }

    @Test func libreOfficeTitleRowsAndOneWorkbookPerTable() throws {
        let titled = try Self.loadFixture("title-row.xlsx").get()
        #expect(titled.unitIDs == ["U1", "U2", "U3"] && titled.names == ["甲", "乙", "丙"])
        let folder = try Self.loadFixture("table-folder").get()
        #expect(folder.unitIDs == ["U1", "U2", "U3"] && Self.rates(folder) == ["U1": [100], "U2": [98], "U3": [97]])
    }

    /// openpyxl writes a float with 16 significant digits (97.35 as 97.34999999999999, the same double): that
    /// reads as 97.35; a value no 15-digit number gives (99.999999999999986, shown as 100) is refused.
    @Test func longNumbersWrittenByOpenpyxlReadAsTheirValue() throws {
        let file = (TemporaryDirectory.make() as NSString).appendingPathComponent("book.xlsx")
        guard try Python.openpyxl("""
            import sys, openpyxl
            wb = openpyxl.Workbook(); ws = wb.active; ws.title = 'units'
            for r in [('unit_id', 'name'), ('U1', '甲')]: ws.append(r)
            st = wb.create_sheet('study')
            for r in [('unit_id', 'rate'), ('U1', 99.999999999999986), ('U1', 97.35), ('U1', 0.1 + 0.2)]: st.append(r)
            wb.save(sys.argv[1])
            """, [file]) != nil else { return }
        let e = #expect(throws: DataError.self) { try DatasetLoader.loadWorkbook(policy: try Self.policy(rate: "number"), file: file) }
        let got = e?.diagnostics.map { (($0.file ?? "") as NSString).lastPathComponent + ": " + $0.message } ?? []
        #expect(got.count == 1 && got[0].hasPrefix("book.xlsx[study]!B2: column 'rate': the cell holds 99.99999999999999, more than 15 significant digits"), "\(got)")
        // without the refused cell, the others read as typed
        guard try Python.openpyxl("""
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1]); wb['study'].delete_rows(2); wb.save(sys.argv[1])
            """, [file]) != nil else { return }
        let data = try DatasetLoader.loadWorkbook(policy: try Self.policy(rate: "number"), file: file)
        let numbers = data.view.tables[1].columns[1].numbers!
        #expect([numbers[0], numbers[1]] == [97.35, 0.1 + 0.2] || [numbers[0], numbers[1]] == [97.35, 0.3], "\([numbers[0], numbers[1]])")
    }
}
