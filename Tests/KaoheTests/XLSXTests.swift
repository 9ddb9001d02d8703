import Foundation
import Testing
@testable import Kaohe
import LuaRuntime
import KaoheTestSupport

/// .xlsx in and out: the writer's output reads back (here and in openpyxl), a workbook of the Ganzhou sample
/// scores like its CSV folder, a self-check form filled by openpyxl reads back by indicator id, and every bad
/// workbook gives a located `file.xlsx[sheet]!C17: message`.
@Suite struct XLSXTests {
    // MARK: writer → reader

    static let mixed = XLSXSheet(
        name: "数据 & <more>",
        rows: [[.bold("标题"), .empty, .text("  padded "), .wrapped("line 1\nline 2")],
               [.number(3), .number(-0.1), .number(0.30000000000000004), .number(1e-7), .number(1e20), .number(123456789012345)],
               [.text("a&b<c>\"d\""), .text("_x0041_ stays"), .text("ctl\u{1}\u{B}char\r"), .text("👍🏽 表情")],
               [], [.empty, .text("after an empty row"), .decimal(92.3, places: 2), .decimal(7, places: 0)]],
        columnWidths: [10, 0, 20], merges: ["A1:B1", "C5:D6"], frozenRows: 1)

    @Test func writerOutputReadsBackExactly() throws {
        let book = XLSXWorkbook(sheets: [Self.mixed, XLSXSheet(name: "hidden", rows: [[.text("x")]], hidden: true)])
        let doc = try XLSXDocument(bytes: Array(try book.data()), file: "mixed.xlsx")
        #expect(doc.sheets.map(\.name) == ["数据 & <more>", "hidden"])
        #expect(doc.sheets.map(\.hidden) == [false, true])
        let s = doc.sheets[0]
        for (r, row) in Self.mixed.rows.enumerated() {
            for (c, cell) in row.enumerated() {
                let want: XLSXValue
                switch cell {
                case .empty: want = .empty
                case .number(let v), .decimal(let v, _): want = .number(v)
                case .text(let t), .bold(let t), .wrapped(let t): want = .text(t)
                }
                #expect(s[row: r + 1, column: c + 1] == want, "\(XLSXCellRef(row: r + 1, column: c + 1))")
            }
        }
        #expect(s.cells.count == 16)
        #expect(s.merges.map(\.description) == ["A1:B1", "C5:D6"])
        #expect(doc.sheets[1][row: 1, column: 1] == .text("x"))
    }

    @Test func sameWorkbookSameBytes() throws {
        let a = try XLSXWorkbook(sheets: [Self.mixed]).data(), b = try XLSXWorkbook(sheets: [Self.mixed]).data()
        #expect(a == b)
        // every entry's DOS date is 1980-01-01 00:00 (time 0x0000, date 0x0021)
        #expect(Array(a[10..<14]) == [0, 0, 0x21, 0])
        #expect(XLSXWriter.number(0.1) == "0.1" && XLSXWriter.number(-3) == "-3" && XLSXWriter.number(1e-7) == "1e-07")
    }

    @Test func badSheetsAreRefused() {
        #expect(throws: XLSXWriteError.self) { try XLSXWorkbook(sheets: [XLSXSheet(name: "a/b", rows: [])]).data() }
        #expect(throws: XLSXWriteError.self) { try XLSXWorkbook(sheets: [XLSXSheet(name: "a", rows: [[.number(.nan)]])]).data() }
        #expect(throws: XLSXWriteError.self) { try XLSXWorkbook(sheets: [XLSXSheet(name: "a", rows: [], merges: ["A1"])]).data() }
        #expect(throws: XLSXWriteError.self) { try XLSXWorkbook(sheets: [XLSXSheet(name: "a", rows: [], hidden: true)]).data() }
    }

    @Test func cellReferences() {
        #expect(XLSXCellRef("C17") == XLSXCellRef(row: 17, column: 3))
        #expect(XLSXCellRef("$AA$1")?.column == 27)
        #expect(XLSXCellRef(row: 1, column: 16_384).description == "XFD1")
        for bad in ["", "17", "C", "C0", "1C", "XFE1", "A1048577", "A-1"] { #expect(XLSXCellRef(bad) == nil, "\(bad)") }
        #expect(XLSXRange("D4:B2")?.description == "B2:D4")
    }

    // MARK: parts written by other programs

    static let ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// A workbook from hand-written parts: the sheet `name` with the XML given, and an empty very hidden `V`.
    static func handmade(sheet: String, shared: String = "<sst xmlns=\"\(ns)\"/>", name: String = "S") throws -> [UInt8] {
        let styles = """
            <styleSheet xmlns="\(ns)"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/>\
            <numFmt numFmtId="165" formatCode="0.00&quot;分&quot;"/></numFmts><cellXfs count="4"><xf numFmtId="0"/>\
            <xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>
            """
        let parts: [(String, String)] = [
            ("_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r\" Type=\"\(rel)/officeDocument\" Target=\"/xl/workbook.xml\"/></Relationships>"),
            ("xl/workbook.xml", "<workbook xmlns=\"\(ns)\" xmlns:r=\"\(rel)\"><sheets><sheet name=\"\(name)\" sheetId=\"1\" r:id=\"a\"/><sheet name=\"V\" sheetId=\"2\" state=\"veryHidden\" r:id=\"b\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"a\" Type=\"\(rel)/worksheet\" Target=\"/xl/worksheets/s.xml\"/><Relationship Id=\"b\" Type=\"\(rel)/worksheet\" Target=\"./worksheets/../worksheets/v.xml\"/><Relationship Id=\"c\" Type=\"\(rel)/sharedStrings\" Target=\"strings.xml\"/><Relationship Id=\"d\" Type=\"\(rel)/styles\" Target=\"styles.xml\"/></Relationships>"),
            ("xl/worksheets/s.xml", sheet),
            ("xl/worksheets/v.xml", "<worksheet xmlns=\"\(ns)\"><sheetData/></worksheet>"),
            ("xl/strings.xml", shared),
            ("xl/styles.xml", styles),
        ]
        return Array(try XLSXZip.zip(parts.map { ($0.0, Data($0.1.utf8)) }))
    }

    @Test func readsWhatOtherProgramsWrite() throws {
        let shared = """
            <sst xmlns="\(Self.ns)"><si><t>plain</t></si><si><r><rPr><b/></rPr><t>rich </t></r><r><t xml:space="preserve">text</t></r>\
            <rPh sb="0" eb="1"><t>ルビ</t></rPh></si><si><t>tab_x0009_here</t></si></sst>
            """
        let sheet = """
            <x:worksheet xmlns:x="\(Self.ns)"><x:sheetData>\
            <x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="s"><x:v>2</x:v></x:c></x:row>\
            <x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:r><x:t>in</x:t></x:r><x:r><x:t>line</x:t></x:r></x:is></x:c>\
            <x:c r="B2" t="n"><x:v>1.5</x:v></x:c><x:c r="C2"><x:v>-2E-3</x:v></x:c><x:c r="D2" t="b"><x:v>1</x:v></x:c>\
            <x:c r="E2" t="e"><x:v>#DIV/0!</x:v></x:c></x:row>\
            <x:row r="3"><x:c r="A3"><x:f>1+2</x:f><x:v>3</x:v></x:c><x:c r="B3" t="str"><x:f>"a"&amp;"b"</x:f><x:v>ab</x:v></x:c>\
            <x:c r="C3" s="1"><x:v>45000</x:v></x:c><x:c r="D3" s="2"><x:v>45001.5</x:v></x:c><x:c r="E3" s="3"><x:v>7</x:v></x:c>\
            <x:c r="F3"><x:f>SUM(A1:A2)</x:f></x:c><x:c r="G3" s="1"/></x:row>\
            <x:row><x:c><x:v>10</x:v></x:c><x:c t="b"><x:v>0</x:v></x:c></x:row>\
            </x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A5:B5"/></x:mergeCells></x:worksheet>
            """
        let doc = try XLSXDocument(bytes: try Self.handmade(sheet: sheet, shared: shared), file: "other.xlsx")
        #expect(doc.sheets.map(\.name) == ["S", "V"] && doc.sheets[1].hidden)
        let s = doc.sheets[0]
        let want: [String: XLSXValue] = [
            "A1": .text("plain"), "B1": .text("rich text"), "C1": .text("tab\there"), "A2": .text("inline"),
            "B2": .number(1.5), "C2": .number(-0.002), "D2": .bool(true), "E2": .error("#DIV/0!"), "A3": .number(3),
            "B3": .text("ab"), "C3": .number(45000), "D3": .number(45001.5), "E3": .number(7), "A4": .number(10), "B4": .bool(false),
        ]
        #expect(s.cells == Dictionary(uniqueKeysWithValues: want.map { (XLSXCellRef($0.key)!, $0.value) }))
        #expect(s.dates == [XLSXCellRef("C3")!, XLSXCellRef("D3")!])
        #expect(s.uncalculated == [XLSXCellRef("F3")!])
        #expect(s.merges.map(\.description) == ["A5:B5"])
    }

    @Test(arguments: [
        ("<worksheet xmlns=\"\(ns)\"><sheetData><row r=\"1\"><c r=\"B1\" t=\"s\"><v>9</v></c></row></sheetData></worksheet>",
         "bad.xlsx[S]!B1: the cell points to shared string 9, which the workbook does not have"),
        ("<worksheet xmlns=\"\(ns)\"><sheetData><row r=\"1\"><c r=\"C1\"><v>1,5</v></c></row></sheetData></worksheet>",
         "bad.xlsx[S]!C1: the cell's number '1,5' cannot be read"),
        // row numbers past Excel's grid, up to Int64's largest (it overflowed the next row's count)
        ("<worksheet xmlns=\"\(ns)\"><sheetData><row r=\"9223372036854775807\"><c><v>1</v></c></row><row><c><v>2</v></c></row></sheetData></worksheet>",
         "bad.xlsx[S]: a row is numbered '9223372036854775807', outside Excel's rows 1 to 1,048,576"),
        ("<worksheet xmlns=\"\(ns)\"><sheetData><row r=\"1048577\"/></sheetData></worksheet>",
         "bad.xlsx[S]: a row is numbered '1048577', outside Excel's rows 1 to 1,048,576"),
        ("<worksheet xmlns=\"\(ns)\"><sheetData><row r=\"-3\"/></sheetData></worksheet>",
         "bad.xlsx[S]: a row is numbered '-3', outside Excel's rows 1 to 1,048,576"),
        ("<worksheet xmlns=\"\(ns)\"><sheetData><row r=\"1048576\"/><row><c><v>1</v></c></row></sheetData></worksheet>",
         "bad.xlsx[S]: a cell lies outside Excel's grid of 1,048,576 rows × 16,384 columns"),
        // a billion laughs, an external entity, a parameter entity: no workbook declares a document type
        ("<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><worksheet xmlns=\"\(ns)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&c;&c;&c;</t></is></c></row></sheetData></worksheet>",
         "bad.xlsx: the part xl/worksheets/s.xml declares a document type or entities (<!DOCTYPE)"),
        ("<!DOCTYPE w SYSTEM \"file:///etc/passwd\"><worksheet xmlns=\"\(ns)\"><sheetData/></worksheet>",
         "bad.xlsx: the part xl/worksheets/s.xml declares a document type or entities (<!DOCTYPE)"),
        ("<worksheet xmlns=\"\(ns)\"><!ENTITY x SYSTEM \"/etc/passwd\"><sheetData/></worksheet>",
         "bad.xlsx: the part xl/worksheets/s.xml declares a document type or entities (<!ENTITY)"),
        // elements nested 100,000 deep (and just past the bound)
        ("<worksheet xmlns=\"\(ns)\">" + String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000) + "</worksheet>",
         "bad.xlsx: the part xl/worksheets/s.xml nests elements more than 100 deep"),
        ("<worksheet xmlns=\"\(ns)\">" + String(repeating: "<a>", count: 100) + String(repeating: "</a>", count: 100) + "</worksheet>",
         "bad.xlsx: the part xl/worksheets/s.xml nests elements more than 100 deep"),
        ("<worksheet xmlns=\"\(ns)\"><sheetData><row r=\"1\"><c r=\"C1\"><v>1</v></row></sheetData></worksheet>",
         "bad.xlsx: the part xl/worksheets/s.xml is not well-formed XML (line 1"),
    ])
    func damagedPartsAreLocated(_ sheet: String, _ expected: String) throws {
        let bytes = try Self.handmade(sheet: sheet)
        let error = #expect(throws: DataError.self) { try XLSXDocument(bytes: bytes, file: "bad.xlsx") }
        let got = error?.diagnostics.map(\.description) ?? []
        #expect(got.count == 1 && got[0].hasPrefix(expected), "\(got)")
    }

    /// What a workbook may unpack to is bounded while it is read: a part's size, its ratio to its packed size
    /// (a zip bomb packs ~1,000 times) and the whole workbook's (a 1.7 MB bomb of several parts held 1.8 GB).
    @Test func zipBombsAreRefusedByTheirSize() throws {
        let rows = String(repeating: "<row/>", count: 2_000)  // 12 KB, packs ~100 times
        let sheet = "<worksheet xmlns=\"\(Self.ns)\"><sheetData>\(rows)</sheetData></worksheet>"
        let bytes = try Self.handmade(sheet: sheet)
        _ = try XLSXDocument(bytes: bytes, file: "ok.xlsx", onDisk: false)
        let cases: [(XLSXZip.Limits, String)] = [
            (.init(part: 10_000), "the part xl/worksheets/s.xml unpacks to 12"),
            (.init(ratio: 20, ratioFrom: 1_000), "the part xl/worksheets/s.xml unpacks to 12"),
            (.init(workbook: 12_000), "would take the workbook past 12000 bytes unpacked"),
        ]
        for (limits, expected) in cases {
            let error = #expect(throws: DataError.self) { try XLSXDocument(bytes: bytes, file: "bomb.xlsx", onDisk: false, limits: limits) }
            let got = error?.diagnostics.map(\.description) ?? []
            #expect(got.count == 1 && got[0].hasPrefix("bomb.xlsx: ") && got[0].contains(expected)
                    && got[0].contains("the file is damaged or made to exhaust memory"), "\(got)")
        }
        // the standard limits on a real bomb: 2 MB of one repeated byte packs over 500 times
        let bomb = "<worksheet xmlns=\"\(Self.ns)\"><sheetData>" + String(repeating: " ", count: 2 << 20) + "</sheetData></worksheet>"
        let error = #expect(throws: DataError.self) { try XLSXDocument(bytes: try Self.handmade(sheet: bomb), file: "bomb.xlsx") }
        #expect(error?.diagnostics.first?.message.contains("at most 200 times its packed size") == true)
    }

    @Test func notAWorkbookIsAClearError() throws {
        let cases: [([UInt8], String)] = [
            (Array("unit_id,name\n".utf8), "x.xlsx: not an .xlsx workbook (the file is not a zip archive)"),
            ([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], "x.xlsx: an Excel 97-2003 (.xls) or encrypted workbook"),
            ([0x50, 0x4B, 0x03, 0x04, 1, 2, 3], "x.xlsx: not a readable .xlsx workbook: the zip archive is damaged"),
            (Array(try XLSXZip.zip([("word/document.xml", Data("<w/>".utf8))])), "x.xlsx: not an .xlsx workbook: the zip holds no xl/workbook.xml"),
            ([], "x.xlsx: not an .xlsx workbook"),
        ]
        for (bytes, expected) in cases {
            let error = #expect(throws: DataError.self) { try XLSXDocument(bytes: bytes, file: "x.xlsx") }
            let got = error?.diagnostics.first?.description ?? ""
            #expect(got.hasPrefix(expected), "\(got)")
        }
    }

    /// Truncated and bit-flipped workbooks end in a `DataError` or a read, never a crash or a hang (every byte
    /// with four flips passed once; the test samples every 5th).
    @Test func damagedZipsNeverCrash() throws {
        let good = Array(try Self.form.workbook().data())
        var errors = 0
        for k in stride(from: 0, to: good.count, by: 5) {
            var flipped = good
            flipped[k] ^= [0x5A, 0x01, 0x80, 0xFF][k % 4]
            for bytes in [Array(good[..<k]), flipped] {
                do { _ = try XLSXDocument(bytes: bytes, file: "f.xlsx") } catch is DataError { errors += 1 }
            }
        }
        #expect(errors > good.count / 5)
    }

    // MARK: a workbook as --data

    /// A workbook with one sheet per table of a dataset, numbers as number cells, text as text.
    static func workbook(of data: Dataset) -> XLSXWorkbook {
        XLSXWorkbook(sheets: data.tables.enumerated().map { t, info in
            var rows: [[XLSXCell]] = [info.columns.map { .bold($0.name) }]
            for row in 0..<info.rowCount {
                rows.append(data.view.tables[t].columns.map { col -> XLSXCell in
                    if let numbers = col.numbers { return numbers[row].isNaN ? .empty : .number(numbers[row]) }
                    let code = col.texts![row]
                    return code < 0 ? .empty : .text(col.pool!.string(code))
                })
            }
            return XLSXSheet(name: info.name, rows: rows, frozenRows: 1)
        })
    }

    @Test(arguments: ["2023", "2024"])
    func ganzhouWorkbookScoresLikeTheCSVFolder(_ year: String) throws {
        let policy = try PolicyLoader.load(path: Repository.path("policies/ganzhou/\(year).lua"))
        let csv = try Support.score(policy, Repository.path("policies/ganzhou/sample-\(year)"))
        let file = (TemporaryDirectory.make() as NSString).appendingPathComponent("ganzhou.xlsx")
        let bytes = try Self.workbook(of: csv.data).data()
        try bytes.write(to: URL(fileURLWithPath: file))
        let data = try DatasetLoader.loadWorkbook(policy: policy, file: file)
        let xlsx = try Scorer.score(policy: policy, data: data)
        #expect(xlsx.data.unitIDs == csv.data.unitIDs)
        #expect(xlsx.totals == csv.totals)
        #expect(xlsx.ranking.rank == csv.ranking.rank)
        for u in 0..<csv.unitCount { #expect(xlsx.items(of: u).map(\.points) == csv.items(of: u).map(\.points)) }
        #expect(data.sha256 == Hashing.sha256(Array(bytes)))
        #expect(data.tables[1].file == "\(file)[\(data.tables[1].name)]")
    }

    static let loaderPolicy = DatasetLoaderTests.source

    /// Loads a workbook built from `sheets` under the loader-test policy; the diagnostics with the folder removed.
    static func loadProblems(_ sheets: [XLSXSheet]) throws -> [String] {
        let dir = TemporaryDirectory.make(), file = (dir as NSString).appendingPathComponent("book.xlsx")
        try XLSXWorkbook(sheets: sheets).write(to: file)
        do {
            _ = try DatasetLoader.loadWorkbook(policy: try Support.policy(loaderPolicy), file: file)
            return []
        } catch let e as DataError {
            return e.diagnostics.map { $0.description.replacingOccurrences(of: dir + "/", with: "") }
        }
    }

    static let units = XLSXSheet(name: "units", rows: [[.text("unit_id"), .text("name"), .text("active")],
                                                       [.text("U1"), .text("甲单位"), .number(1)], [.number(2), .text("乙单位"), .text("0")]])
    static let rowsHeader: [XLSXCell] = ["unit_id", "n", "x", "kind", "memo"].map { .bold($0) }

    @Test func workbookLoadsLikeCSV() throws {
        let rows = XLSXSheet(name: "rows", rows: [Self.rowsHeader + [.text("extra")], [.text("U1"), .number(3), .number(1.5), .text("a"), .empty, .text("ignored")],
                                                  [], [.text("2"), .text("4"), .empty, .text("b"), .text("hello")], [.empty, .empty, .empty, .empty, .empty, .text("note")],
                                                  [.text("U1"), .number(5), .text(" 2 "), .text("b")]])
        let file = (TemporaryDirectory.make() as NSString).appendingPathComponent("ok.xlsx")
        try XLSXWorkbook(sheets: [Self.units, rows]).write(to: file)
        let policy = try Support.policy(Self.loaderPolicy)
        let xlsx = try DatasetLoader.loadWorkbook(policy: policy, file: file)
        let csv = try DatasetLoader.load(policy: policy, path: Support.folder(["units.csv": "unit_id,name,active\nU1,甲单位,1\n2,乙单位,0\n",
                                                                                "rows.csv": "unit_id,n,x,kind,memo\nU1,3,1.5,a,\n2,4,,b,hello\nU1,5,2,b,\n"]))
        #expect(xlsx.unitIDs == ["U1", "2"] && xlsx.names == csv.names)
        for t in 0..<2 {
            #expect(xlsx.tables[t].rowCount == csv.tables[t].rowCount)
            for r in 0..<csv.tables[t].rowCount {
                for c in csv.tables[t].columns.indices { #expect(xlsx.cell(table: t, row: r, column: c) == csv.cell(table: t, row: r, column: c)) }
            }
        }
        #expect((0..<xlsx.tables[1].rowCount).map { Int(xlsx.tables[1].lines[$0]) } == [2, 6, 4])
    }

    @Test(arguments: [
        ([units], ["book.xlsx: missing sheet 'rows' for table 'rows'"]),
        ([units, XLSXSheet(name: "rows", rows: [[.text("unit_id"), .text("n"), .text("kind"), .text("memo")]])],
         ["book.xlsx[rows]!A1: missing column 'x' in the header row"]),
        ([units, XLSXSheet(name: "rows", rows: [[.text("unit_id"), .text("n"), .text(" X "), .text("kind"), .text("memo")]])],
         ["book.xlsx[rows]!A1: missing column 'x' in the header row (the policy's 'rows' table needs unit_id, n, x, kind, memo); the header has 'X' for 'x'"]),
        ([units, XLSXSheet(name: "rows", rows: [rowsHeader, [.text("U1"), .number(3), .text("abc"), .text("a")]])],
         ["book.xlsx[rows]!C2: column 'x' expects a number, got 'abc'"]),
        ([units, XLSXSheet(name: "rows", rows: [rowsHeader, [.text("U1"), .number(3.5), .empty, .text("a")]])],
         ["book.xlsx[rows]!B2: column 'n' expects an integer, got 3.5"]),
        ([units, XLSXSheet(name: "rows", rows: [rowsHeader, [.text("U9"), .number(3), .empty, .text("a")]])],
         ["book.xlsx[rows]!A2: unit_id 'U9' is not in the units table"]),
        ([units, XLSXSheet(name: "rows", rows: [rowsHeader, [.text("U1"), .empty, .empty, .text("c")]])],
         ["book.xlsx[rows]!B2: empty value in required column 'n'", "book.xlsx[rows]!D2: column 'kind' expects one of a, b, got 'c'"]),
        ([units, XLSXSheet(name: "rows", rows: [rowsHeader, [.text("U1"), .number(1), .empty, .text("a")], [.text("U1"), .empty, .empty, .text("a")]],
                           merges: ["B2:B3"])],
         ["book.xlsx[rows]!B2: merged cells B2:B3 in a data row; unmerge them"]),
        ([units, XLSXSheet(name: "rows", rows: [rowsHeader + [.text("n")]])],
         ["book.xlsx[rows]!F1: column 'n' appears twice in the header (first in column B)"]),
        ([XLSXSheet(name: "units", rows: [[.text("unit_id"), .text("name"), .text("active")]]), XLSXSheet(name: "rows", rows: [rowsHeader])],
         ["book.xlsx[units]!A2: the units table has no rows"]),
        ([XLSXSheet(name: "units", rows: [[.text("unit_id"), .text("name"), .text("active")], [.text("U1"), .text("甲"), .number(2)]]),
          XLSXSheet(name: "rows", rows: [rowsHeader])],
         ["book.xlsx[units]!C2: column 'active' is a flag and expects 0 or 1, got 2"]),
    ] as [([XLSXSheet], [String])])
    func badWorkbookDataIsLocated(_ sheets: [XLSXSheet], _ expected: [String]) throws {
        let got = try Self.loadProblems(sheets)
        #expect(got.count == expected.count, "\(got)")
        for (g, e) in zip(got, expected) { #expect(g.hasPrefix(e), "\(g) should start with \(e)") }
    }

    @Test func errorsDatesAndUncalculatedFormulasInDataAreLocated() throws {
        let sheet = """
            <worksheet xmlns="\(Self.ns)"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>unit_id</t></is></c>\
            <c r="B1" t="inlineStr"><is><t>name</t></is></c><c r="C1" t="inlineStr"><is><t>active</t></is></c></row>\
            <row r="2"><c r="A2" t="inlineStr"><is><t>U1</t></is></c><c r="B2" s="1"><v>45000</v></c><c r="C2" t="e"><v>#REF!</v></c></row>\
            <row r="3"><c r="A3" t="inlineStr"><is><t>U2</t></is></c><c r="B3" t="inlineStr"><is><t>乙</t></is></c><c r="C3"><f>A1</f></c></row>\
            </sheetData></worksheet>
            """
        let dir = TemporaryDirectory.make(), file = (dir as NSString).appendingPathComponent("dates.xlsx")
        try Data(try Self.handmade(sheet: sheet, name: "units")).write(to: URL(fileURLWithPath: file))
        let policy = try Support.policy("""
            return { id = "one", title = "One", year = 2024, base = 0, inputs = { units = { "unit_id: text", "name: text", "active: flag" } },
              rules = { { id = "r", title = "R", score = function(u) return 0 end } } }
            """)
        let error = #expect(throws: DataError.self) { try DatasetLoader.loadWorkbook(policy: policy, file: file) }
        let got = error?.diagnostics.map { $0.description.replacingOccurrences(of: dir + "/", with: "") } ?? []
        #expect(got.count == 3, "\(got)")
        #expect(got.first?.hasPrefix("dates.xlsx[units]!B2: column 'name' expects text, but the cell holds a date") == true)
        #expect(got.dropFirst().first?.hasPrefix("dates.xlsx[units]!C2: the cell holds the error #REF!") == true)
        #expect(got.last?.hasPrefix("dates.xlsx[units]!C3: the cell's formula was saved without its result") == true)
    }

    // MARK: self-check forms

    static let form = SelfCheckForm(unitID: "cangxi", unitName: "苍溪县", title: "2014年共青团工作目标绩效考核自查评分表", rows: [
        .init(indicator: "r1", content: "召开全委会不少于3次", maxPoints: 3, target: "3次"),
        .init(indicator: "r2", content: "培训各类志愿者40名", maxPoints: 3, target: "40名"),
        .init(indicator: "r3", content: "规范12355平台", maxPoints: 1.5, target: "规范运行"),
        .init(indicator: "r4", content: "团市委交办的其他工作", maxPoints: 15, target: ""),
    ])

    /// Writes `book` as `form.xlsx` in a fresh folder; reads it as a form; the diagnostics without the folder.
    static func formProblems(_ book: XLSXWorkbook) throws -> [String] {
        let dir = TemporaryDirectory.make(), file = (dir as NSString).appendingPathComponent("form.xlsx")
        try book.write(to: file)
        do {
            _ = try SelfCheckForm.read(file: file)
            return []
        } catch let e as DataError {
            return e.diagnostics.map { $0.description.replacingOccurrences(of: dir + "/", with: "") }
        }
    }


    @Test func kaoheWorkbooksOpenInOpenpyxl() throws {
        let sheet = try Support.score(try Support.ganzhou2023, Repository.path("policies/ganzhou/sample-2023"))
        let dir = TemporaryDirectory.make()
        let results = (dir as NSString).appendingPathComponent("results.xlsx"), form = (dir as NSString).appendingPathComponent("form.xlsx")
        try XLSXScoreReport.workbook(sheet, language: nil).write(to: results)
        try Self.form.workbook().write(to: form)
        let script = """
            import sys, json, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            r, d = wb['排名'], wb['明细']
            f = openpyxl.load_workbook(sys.argv[2]); s = f['自查评分表']
            print(json.dumps({'sheets': wb.sheetnames, 'header': [c.value for c in r[1]], 'first': [c.value for c in r[2]],
              'rows': r.max_row, 'items': d.max_row, 'freeze': r.freeze_panes, 'points': d['E2'].value,
              'form': f.sheetnames, 'meta': f['_kaohe'].sheet_state, 'idHidden': s.column_dimensions['I'].hidden,
              'merged': [str(m) for m in s.merged_cells.ranges], 'formFreeze': s.freeze_panes, 'bold': s['A2'].font.b,
              'wrap': s['B3'].alignment.wrap_text, 'max': s['C5'].value, 'title': s['A1'].value}, ensure_ascii=False))
            """
        guard let out = try Python.openpyxl(script, [results, form]) else { return }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let top = sheet.order[0]
        #expect(json["sheets"] as? [String] == ["排名", "明细"])
        #expect(json["header"] as? [String] == ["排名", "编号", "单位", "总分", "等次"])
        let first = json["first"] as? [Any]
        #expect((first?[0] as? NSNumber)?.intValue == sheet.ranking.rank[top])
        #expect(first?[1] as? String == sheet.data.unitIDs[top])
        #expect((first?[3] as? NSNumber)?.doubleValue == sheet.totals[top].doubleValue)
        #expect((json["rows"] as? NSNumber)?.intValue == sheet.unitCount + 1)
        #expect((json["items"] as? NSNumber)?.intValue == 1 + sheet.order.map { sheet.items(of: $0).count }.reduce(0, +))
        #expect(json["freeze"] as? String == "A2")
        #expect((json["points"] as? NSNumber)?.doubleValue == sheet.items(of: top)[0].points.doubleValue)
        #expect(json["form"] as? [String] == ["自查评分表", "_kaohe"] && json["meta"] as? String == "hidden")
        #expect(json["idHidden"] as? Bool == true && json["merged"] as? [String] == ["A1:H1"] && json["formFreeze"] as? String == "A3")
        #expect(json["bold"] as? Bool == true && json["wrap"] as? Bool == true)
        #expect((json["max"] as? NSNumber)?.doubleValue == 1.5 && json["title"] as? String == Self.form.title)
    }
}
