import LuaRuntime
import Foundation
import Testing
@testable import Kaohe

/// Every bad-input case gets a located message and nothing is scored; good inputs in every accepted
/// shape (BOM, CRLF, GB18030, quoted fields, JSON) load to the same values.
@Suite struct DatasetLoaderTests {
    static let source = """
        return {
          id = "loader-test", title = "Loader test", year = 2024, base = 0,
          inputs = {
            units = { "unit_id: text", "name: text", "active: flag" },
            rows = { "unit_id: text", "n: integer", "x: number?", "kind: enum(a, b)", "memo: text?" },
          },
          rules = { { id = "r", title = "R", score = function(u) return sum(u.rows, "n") end } },
        }
        """

    static var policy: Policy { get throws { try Support.policy(source) } }

    static let goodUnits = "unit_id,name,active\nU1,甲单位,1\nU2,乙单位,0\n"
    static let goodRows = "unit_id,n,x,kind,memo\nU1,3,1.5,a,\nU2,4,,b,hello\nU1,5,2,b,\n"

    struct Case: CustomTestStringConvertible, Sendable {
        var id: String
        var units: String?
        var rows: String?
        /// Expected diagnostics, "file:line:column: text" with the folder left out.
        var expected: [String]
        var testDescription: String { id }
    }

    static let badCases: [Case] = [
        Case(id: "missing table file", units: goodUnits, rows: nil,
             expected: ["rows.csv: missing file for table 'rows'"]),
        Case(id: "empty file", units: goodUnits, rows: "",
             expected: ["rows.csv:1: empty file; expected a header row: unit_id,n,x,kind,memo"]),
        Case(id: "missing column", units: goodUnits, rows: "unit_id,n,kind,memo\nU1,3,a,\n",
             expected: ["rows.csv:1:1: missing column 'x' (the policy's 'rows' table needs unit_id, n, x, kind, memo)"]),
        Case(id: "a column spelt another way", units: goodUnits, rows: "Unit_ID,n,Ｘ,kind,memo\nU1,3,1,a,\n",
             expected: ["rows.csv:1:1: missing columns 'unit_id', 'x' (the policy's 'rows' table needs unit_id, n, x, kind, memo); the header has 'Unit_ID' for 'unit_id', 'Ｘ' for 'x' (column names must match exactly)"]),
        Case(id: "not a number", units: goodUnits, rows: "unit_id,n,x,kind,memo\nU1,3,abc,a,\n",
             expected: ["rows.csv:2:6: column 'x' expects a number, got 'abc'"]),
        Case(id: "a percent sign", units: goodUnits, rows: "unit_id,n,x,kind,memo\nU1,3,95.5%,a,\n",
             expected: ["rows.csv:2:6: column 'x' expects a number, got '95.5%'; if the column holds percentages, declare it \"x: percent\" in the policy"]),
        Case(id: "thousands separators", units: goodUnits, rows: "unit_id,n,x,kind,memo\nU1,\"1,234\",1,a,\n",
             expected: ["rows.csv:2:4: column 'n' expects an integer, got '1,234'; write it without thousands separators (1234)"]),
        Case(id: "full-width digits", units: goodUnits, rows: "unit_id,n,x,kind,memo\nU1,１２,1,a,\n",
             expected: ["rows.csv:2:4: column 'n' expects an integer, got '１２'; it is written in full-width characters: type it as 12"]),
        Case(id: "a unit after the number", units: goodUnits, rows: "unit_id,n,x,kind,memo\nU1,12人,1,a,\n",
             expected: ["rows.csv:2:4: column 'n' expects an integer, got '12人'; write the number alone (12), without '人'"]),
        Case(id: "not an integer", units: goodUnits, rows: "unit_id,n,x,kind,memo\nU1,3.5,1,a,\n",
             expected: ["rows.csv:2:4: column 'n' expects an integer, got '3.5'"]),
        Case(id: "bad flag", units: "unit_id,name,active\nU1,甲单位,2\n", rows: "unit_id,n,x,kind,memo\n",
             expected: ["units.csv:2:8: column 'active' is a flag and expects 0 or 1, got '2'"]),
        Case(id: "bad enum", units: goodUnits, rows: "unit_id,n,x,kind,memo\nU1,3,1,c,\nU1,3,1,B,\n",
             expected: ["rows.csv:2:8: column 'kind' expects one of a, b, got 'c'",
                        "rows.csv:3:8: column 'kind' expects one of a, b, got 'B' (did you mean 'b'?)"]),
        Case(id: "too many digits to compare exactly", units: goodUnits, rows: "unit_id,n,x,kind,memo\nU1,3,119.999999999999999,a,\n",
             expected: ["rows.csv:2:6: column 'x': '119.999999999999999' has more than 15 significant digits"]),
        Case(id: "empty required", units: goodUnits, rows: "unit_id,n,x,kind,memo\nU1,,1,a,\n",
             expected: ["rows.csv:2:4: empty value in required column 'n'"]),
        Case(id: "duplicate unit id", units: "unit_id,name,active\nU1,甲,1\nU1,乙,1\n", rows: "unit_id,n,x,kind,memo\n",
             expected: ["units.csv:3:1: duplicate unit_id 'U1' (first on line 2)"]),
        Case(id: "unknown unit id", units: goodUnits, rows: "unit_id,n,x,kind,memo\nU9,3,1,a,\n",
             expected: ["rows.csv:2:1: unit_id 'U9' is not in the units table"]),
        Case(id: "a unit id typed another way", units: goodUnits, rows: "unit_id,n,x,kind,memo\nＵ1,3,1,a,\nu2,3,1,a,\nU\u{200B}1,3,1,a,\n",
             expected: ["rows.csv:2:1: unit_id 'Ｕ1' is not in the units table; add the unit there or correct the id (did you mean 'U1'?)",
                        "rows.csv:3:1: unit_id 'u2' is not in the units table; add the unit there or correct the id (did you mean 'U2'?)",
                        "rows.csv:4:1: unit_id 'U\u{200B}1' is not in the units table; add the unit there or correct the id (did you mean 'U1'?)"]),
        Case(id: "wrong field count", units: goodUnits, rows: "unit_id,n,x,kind,memo\nU1,3,1,a\n",
             expected: ["rows.csv:2:8: expected 5 fields as in the header, found 4"]),
        Case(id: "unclosed quote", units: goodUnits, rows: "unit_id,n,x,kind,memo\nU1,3,1,a,\"oops\n",
             expected: ["rows.csv:2:10: a quoted field is never closed"]),
        Case(id: "text after closing quote", units: goodUnits, rows: "unit_id,n,x,kind,memo\nU1,3,1,a,\"ab\"c\n",
             expected: ["rows.csv:2:14: unexpected text after a closing quote"]),
        Case(id: "no units", units: "unit_id,name,active\n", rows: "unit_id,n,x,kind,memo\n",
             expected: ["units.csv:2: the units table has no rows"]),
        Case(id: "a half-empty row is still data", units: goodUnits, rows: "unit_id,n,x,kind,memo\nU1,3,1,a,\n,,,,note\n,,,b,\n",
             expected: ["rows.csv:3:1: empty value in required column 'unit_id'", "rows.csv:3:2: empty value in required column 'n'",
                        "rows.csv:3:4: empty value in required column 'kind'",
                        "rows.csv:4:1: empty value in required column 'unit_id'", "rows.csv:4:2: empty value in required column 'n'"]),
        Case(id: "several problems reported together", units: goodUnits,
             rows: "unit_id,n,x,kind,memo\nU1,x,1,a,\nU1,3,y,a,\nU7,3,1,z,\n",
             expected: ["rows.csv:2:4: column 'n' expects an integer", "rows.csv:3:6: column 'x' expects a number",
                        "rows.csv:4:1: unit_id 'U7' is not in the units table", "rows.csv:4:8: column 'kind' expects one of a, b"]),
    ]

    @Test(arguments: badCases)
    func badInputIsReportedWithLocation(_ c: Case) throws {
        var files: [String: String] = [:]
        if let u = c.units { files["units.csv"] = u }
        if let r = c.rows { files["rows.csv"] = r }
        let dir = Support.folder(files)
        let error = #expect(throws: DataError.self) { try DatasetLoader.load(policy: try Self.policy, path: dir) }
        let got = (error?.diagnostics ?? []).map { $0.description.replacingOccurrences(of: dir + "/", with: "") }
        #expect(got.count == c.expected.count, "got \(got)")
        for (g, e) in zip(got, c.expected) {
            #expect(g.hasPrefix(e), "\(g) should start with \(e)")
        }
    }

    @Test func goodDataLoadsWithTypes() throws {
        let dir = Support.folder(["units.csv": Self.goodUnits, "rows.csv": Self.goodRows])
        let data = try DatasetLoader.load(policy: try Self.policy, path: dir)
        #expect(data.unitIDs == ["U1", "U2"])
        #expect(data.names == ["甲单位", "乙单位"])
        // rows grouped by unit, in file order within a unit
        #expect(data.rows(table: 1, unit: 0) == 0..<2)
        #expect(data.cell(table: 1, row: 0, column: 1) == "3")
        #expect(data.cell(table: 1, row: 1, column: 1) == "5")
        #expect(data.cell(table: 1, row: 2, column: 2) == "")
        #expect(Int(data.tables[1].lines[1]) == 4)
        let sheet = try Support.score(try Self.policy, dir)
        #expect(sheet.totals == [Points(integer: 8), Points(integer: 4)])
    }

    @Test func bomCRLFAndQuotedFieldsLoad() throws {
        let rows = "unit_id,n,x,kind,memo\r\nU1,3,1,a,\"a, \"\"quoted\"\"\r\nvalue\"\r\n\r\nU2,4,,b,plain\r\n"
        let units = [0xEF, 0xBB, 0xBF] + Array(Self.goodUnits.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let dir = Support.folder(bytes: ["units.csv": units, "rows.csv": Array(rows.utf8)])
        let data = try DatasetLoader.load(policy: try Self.policy, path: dir)
        #expect(data.unitIDs == ["U1", "U2"])
        #expect(data.cell(table: 1, row: 0, column: 4) == "a, \"quoted\"\r\nvalue")
        #expect(Int(data.tables[1].lines[1]) == 5)
    }

    @Test(arguments: [("Rows.CSV", "; there is 'Rows.CSV': rename it to 'rows.csv' (names are case-sensitive)"),
                      ("Rows.xlsx", "; there is 'Rows.xlsx': rename it to 'rows.xlsx' (names are case-sensitive)"),
                      ("rows.xls", "; there is 'rows.xls', which kaohe cannot read: open it in Excel, WPS or LibreOffice and save it as 'rows.xlsx' (or as CSV)"),
                      ("rows.ods", "; there is 'rows.ods', which kaohe cannot read: open it in Excel, WPS or LibreOffice and save it as 'rows.xlsx' (or as CSV)"),
                      ("rows.txt", "; there is 'rows.txt': save it as CSV (UTF-8 or GBK) named 'rows.csv'"),
                      ("rows-2024.csv", "; the folder also has 'rows-2024.csv', which the policy does not read (a table's file is named after it)"),
                      ("notes.txt", "")])
    func aMissingTableFileNamesTheFileThatIsProbablyIt(present: String, hint: String) throws {
        let dir = Support.folder(["units.csv": Self.goodUnits, present: Self.goodRows])
        let error = #expect(throws: DataError.self) { try DatasetLoader.load(policy: try Self.policy, path: dir) }
        let message = error?.diagnostics.first?.description ?? ""
        #expect(message.hasSuffix("(the policy declares it with columns unit_id, n, x, kind, memo)" + hint), "\(message)")
    }

    @Test func rowsWithNothingInTheDeclaredColumnsAreSkipped() throws {
        // what spreadsheets export below a table (bare commas, any number of them), and a row with only a remark
        // in a column the policy does not declare
        let units = "unit_id,name,active,备注\nU1,甲单位,1,\n,,,\nU2,乙单位,0,\n,,,见附件\n , ,\t,\n,,,,,,\n"
        let rows = "unit_id,n,x,kind,memo\nU1,3,1.5,a,\n,,,,\n\"\",,,,\nU2,4,,b,hello\n,,\nU1,5,2,b,\n"
        let data = try DatasetLoader.load(policy: try Self.policy, path: Support.folder(["units.csv": units, "rows.csv": rows]))
        #expect(data.unitIDs == ["U1", "U2"])
        #expect(data.rows(table: 1, unit: 0).count == 2)
        // line numbers still count the skipped rows
        #expect((0..<3).map { data.tables[1].lines[$0] }.sorted() == [2, 5, 7])
    }

    @Test func damagedUTF8IsReportedNotReadAsGBK() throws {
        // ten well-formed Chinese names, then a character cut short: GBK never gets this far as UTF-8
        var units = Array("unit_id,name,active\n".utf8)
        for i in 1...10 { units += Array("U\(i),第\(i)单位,1\n".utf8) }
        units += Array("U11,".utf8) + [0xE5, 0x8D] + Array(",1\n".utf8)
        let dir = Support.folder(bytes: ["units.csv": units, "rows.csv": Array("unit_id,n,x,kind,memo\n".utf8)])
        let error = #expect(throws: DataError.self) { try DatasetLoader.load(policy: try Self.policy, path: dir) }
        let message = error?.diagnostics.first?.description ?? ""
        #expect(message.contains("units.csv:12:5: invalid UTF-8 (byte 0xe5) in a file that is otherwise UTF-8"), "\(message)")
    }

    @Test func gb18030FilesAreDetectedAndDecoded() throws {
        // "甲单位" and "乙单位" in GB18030
        let gbUnits: [UInt8] = Array("unit_id,name,active\nU1,".utf8) + [0xBC, 0xD7, 0xB5, 0xA5, 0xCE, 0xBB]
            + Array(",1\nU2,".utf8) + [0xD2, 0xD2, 0xB5, 0xA5, 0xCE, 0xBB] + Array(",0\n".utf8)
        let dir = Support.folder(bytes: ["units.csv": gbUnits, "rows.csv": Array(Self.goodRows.utf8)])
        let data = try DatasetLoader.load(policy: try Self.policy, path: dir)
        #expect(data.names == ["甲单位", "乙单位"])
        let forced = try DatasetLoader.load(policy: try Self.policy, path: dir, encoding: .gb18030)
        #expect(forced.names == ["甲单位", "乙单位"])
        let error = #expect(throws: DataError.self) {
            try DatasetLoader.load(policy: try Self.policy, path: dir, encoding: .utf8)
        }
        #expect(error?.diagnostics.first?.description.contains("units.csv:2:4: invalid UTF-8") == true)
    }

    @Test func jsonDataMatchesCSV() throws {
        let json = """
            {
              "units": [
                {"unit_id": "U1", "name": "甲单位", "active": 1},
                {"unit_id": "U2", "name": "乙单位", "active": false}
              ],
              "rows": [
                {"unit_id": "U1", "n": 3, "x": 1.5, "kind": "a"},
                {"unit_id": "U2", "n": 4, "x": null, "kind": "b", "memo": "hello"},
                {"unit_id": "U1", "n": "5", "x": 2, "kind": "b"}
              ]
            }
            """
        let dir = Support.folder(["data.json": json])
        let sheet = try Support.score(try Self.policy, (dir as NSString).appendingPathComponent("data.json"))
        #expect(sheet.totals == [Points(integer: 8), Points(integer: 4)])
        #expect(sheet.data.names == ["甲单位", "乙单位"])
    }

    @Test(arguments: [
        ("{\"units\": [{\"unit_id\": \"U1\", \"name\": \"甲\", \"active\": 1}], \"rows\": [{\"unit_id\": \"U1\", \"n\": \"x\", \"kind\": \"a\"}]}",
         "1:90: column 'n' expects an integer, got 'x'"),
        ("{\"units\": [{\"unit_id\": \"U1\", \"name\": \"甲\", \"active\": 1}]}", "1:1: missing table 'rows'"),
        ("{\"units\": [{\"unit_id\": \"U1\", \"name\": \"甲\"}], \"rows\": []}", "1:12: record has no field 'active'"),
        ("{\"units\": [\n{\"unit_id\": \"U1\",, }]}", "2:18: expected a field name in quotes"),
        ("[1, 2]", "1:1: expected an object with one array of records per table"),
        // which of two equal keys wins differs between JSON readers: kaohe refuses to guess
        ("{\"units\": [{\"unit_id\": \"U1\", \"name\": \"甲\", \"active\": 1, \"active\": 0}], \"rows\": []}",
         "1:56: field 'active' appears twice in this object; keep one"),
        ("{\"units\": [],\n \"units\": [], \"rows\": []}", "2:2: field 'units' appears twice in this object"),
        ("{\"units\": [{\"unit_id\": \"U1\", \"name\": \"甲\", \"active\": 1e400}], \"rows\": []}",
         "1:53: '1e400' is not a number kaohe can read"),
    ])
    func badJSONIsReportedWithLocation(json: String, expected: String) throws {
        let dir = Support.folder(["data.json": json])
        let file = (dir as NSString).appendingPathComponent("data.json")
        let error = #expect(throws: DataError.self) { try DatasetLoader.load(policy: try Self.policy, path: file) }
        let got = error?.diagnostics.first?.description ?? ""
        #expect(got.hasPrefix(file + ":" + expected), "\(got)")
    }

    @Test func diagnosticsAreCappedAndCounted() throws {
        var rows = "unit_id,n,x,kind,memo\n"
        for _ in 0..<80 { rows += "U1,bad,1,a,\n" }
        let dir = Support.folder(["units.csv": Self.goodUnits, "rows.csv": rows])
        let error = #expect(throws: DataError.self) { try DatasetLoader.load(policy: try Self.policy, path: dir) }
        #expect(error?.diagnostics.count == 50)
        #expect(error?.omitted == 30)
        #expect(error?.description.contains("80 problems in the data; nothing was scored.") == true)
    }

    @Test func inputFilesAreNotModified() throws {
        let dir = Support.folder(["units.csv": Self.goodUnits, "rows.csv": Self.goodRows])
        let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted().map {
            try Data(contentsOf: URL(fileURLWithPath: (dir as NSString).appendingPathComponent($0)))
        }
        _ = try Support.score(try Self.policy, dir)
        let after = try FileManager.default.contentsOfDirectory(atPath: dir).sorted().map {
            try Data(contentsOf: URL(fileURLWithPath: (dir as NSString).appendingPathComponent($0)))
        }
        #expect(before == after)
    }
}

/// A table file that is a symbolic link out of the data folder is refused, naming the link and its target
/// (it was followed silently: a data set could read any file, and its report show it); a link to a file
/// inside the folder, or a dangling one, is handled too.
@Suite struct DataFolderLinkTests {
    @Test func linksOutOfTheDataFolderAreRefused() throws {
        let outside = Support.folder(["units.csv": DatasetLoaderTests.goodUnits])
        let dir = Support.folder(["rows.csv": DatasetLoaderTests.goodRows, "copy.csv": DatasetLoaderTests.goodUnits])
        let policy = try DatasetLoaderTests.policy
        try FileManager.default.createSymbolicLink(atPath: dir + "/units.csv", withDestinationPath: outside + "/units.csv")
        let error = #expect(throws: DataError.self) { try DatasetLoader.load(policy: policy, path: dir) }
        let got = error?.diagnostics.map(\.description) ?? []
        #expect(got.count == 1 && got[0].hasPrefix(dir + "/units.csv: the file is a symbolic link to ")
                && got[0].contains("outside the data folder") && got[0].contains("copy the file in"), "\(got)")
        // relative links that climb out are the same
        try FileManager.default.removeItem(atPath: dir + "/units.csv")
        try FileManager.default.createSymbolicLink(atPath: dir + "/units.csv", withDestinationPath: "../" + (outside as NSString).lastPathComponent + "/units.csv")
        #expect(throws: DataError.self) { try DatasetLoader.load(policy: policy, path: dir) }
        // dangling
        try FileManager.default.removeItem(atPath: dir + "/units.csv")
        try FileManager.default.createSymbolicLink(atPath: dir + "/units.csv", withDestinationPath: dir + "/gone.csv")
        let dangling = #expect(throws: DataError.self) { try DatasetLoader.load(policy: policy, path: dir) }
        #expect(dangling?.diagnostics.first?.message.contains("which does not exist") == true)
        // inside the folder: fine
        try FileManager.default.removeItem(atPath: dir + "/units.csv")
        try FileManager.default.createSymbolicLink(atPath: dir + "/units.csv", withDestinationPath: "copy.csv")
        #expect(try DatasetLoader.load(policy: policy, path: dir).unitCount == 2)
    }
}
