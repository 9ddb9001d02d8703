import Foundation
import Testing
@testable import Kaohe
import LuaRuntime
import KaoheTestSupport

/// Self-check forms read back: blank, filled by openpyxl, rows moved, percentages typed, every bad edit located.
extension XLSXTests {
    @Test func blankFormReadsAsUnfilled() throws {
        let file = (TemporaryDirectory.make() as NSString).appendingPathComponent("form.xlsx")
        try Self.form.workbook().write(to: file)
        let (unit, rows) = try SelfCheckForm.read(file: file)
        #expect(unit == "cangxi")
        #expect(rows.map(\.indicator) == ["r1", "r2", "r3", "r4"])
        #expect(rows.allSatisfy { $0.actual == nil && $0.selfScore == nil && $0.completed == nil && $0.reason == nil })
        #expect(rows[1].line == "\(file)[自查评分表]!F4")
    }

    @Test(arguments: [
        Damage("changed max", { b in b.sheets[0].rows[3][2] = .number(10) }, ["form.xlsx[自查评分表]!C4: 分值 changed to 10; indicator 'r2' was issued with 3"]),
        Damage("cleared max", { b in b.sheets[0].rows[4][2] = .empty }, ["form.xlsx[自查评分表]!C5: 分值 cleared; indicator 'r3' was issued with 1.5"]),
        Damage("missing indicator", { b in b.sheets[0].rows.remove(at: 4) }, ["form.xlsx[自查评分表]!B5: indicator 'r3' (issued in row 5: 规范12355平台) is missing"]),
        Damage("text in a number cell", { b in b.sheets[0].rows[2][5] = .text("十二") }, ["form.xlsx[自查评分表]!F3: 自查得分 expects a number, got '十二'"]),
        Damage("text in 实际完成", { b in b.sheets[0].rows[3][4] = .text("约40名") }, ["form.xlsx[自查评分表]!E4: 实际完成 expects a number, got '约40名'"]),
        Damage("full-width digits", { b in b.sheets[0].rows[3][4] = .text("２.１") },
               ["form.xlsx[自查评分表]!E4: 实际完成 expects a number, got '２.１'; it is written in full-width characters: type it as 2.1"]),
        Damage("a logical value", { b in b.sheets[0].rows[3][5] = .text("TRUE") },
               ["form.xlsx[自查评分表]!F4: 自查得分 expects a number, got 'TRUE'"]),
        Damage("17 digits", { b in b.sheets[0].rows[3][5] = .text("2.9999999999999996") },
               ["form.xlsx[自查评分表]!F4: 自查得分: '2.9999999999999996' has more than 15 significant digits"]),
        Damage("merged row", { b in b.sheets[0].merges.append("E4:F4") }, ["form.xlsx[自查评分表]!E4: merged cells E4:F4 in an indicator row"]),
        Damage("merged rows", { b in b.sheets[0].merges.append("F3:F4") }, ["form.xlsx[自查评分表]!F3: merged cells F3:F4 in an indicator row"]),
        Damage("cells moved apart from their id", { b in b.sheets[0].rows.swapAt(2, 3); b.sheets[0].rows[2][8] = .text("r1"); b.sheets[0].rows[3][8] = .text("r2") },
         ["form.xlsx[自查评分表]!B3: 考核内容 does not match indicator 'r1' (issued in row 3)", "form.xlsx[自查评分表]!B4: 考核内容 does not match indicator 'r2'"]),
        Damage("copied row", { b in b.sheets[0].rows.append(b.sheets[0].rows[2]) }, ["form.xlsx[自查评分表]!I9: indicator 'r1' appears twice (rows 3 and 9)"]),
        Damage("row without id", { b in b.sheets[0].rows.append([.text("苍溪县"), .text("自加"), .empty, .empty, .empty, .number(3)]) },
         ["form.xlsx[自查评分表]!F9: row 9 has entries but no indicator id"]),
        Damage("inserted column", { b in for r in 1..<b.sheets[0].rows.count where b.sheets[0].rows[r].count > 4 { b.sheets[0].rows[r].insert(.empty, at: 4) } },
         ["form.xlsx[自查评分表]!E2: expected the header '实际完成' here, found ''"]),
        Damage("not a form", { b in b.sheets.removeLast() }, ["form.xlsx: not a kaohe self-check form"]),
    ])
    func badFormIsLocated(_ c: Damage) throws {
        var book = Self.form.workbook()
        c.apply(&book)
        let got = try Self.formProblems(book)
        #expect(got.count == c.expected.count, "\(got)")
        for (g, e) in zip(got, c.expected) { #expect(g.hasPrefix(e), "\(g) should start with \(e)") }
    }

    /// A way to spoil a form, and the diagnostics it must give.
    struct Damage: Sendable, CustomTestStringConvertible {
        var name: String
        var apply: @Sendable (inout XLSXWorkbook) -> Void
        var expected: [String]
        init(_ name: String, _ apply: @escaping @Sendable (inout XLSXWorkbook) -> Void, _ expected: [String]) {
            self.name = name
            self.apply = apply
            self.expected = expected
        }
        var testDescription: String { name }
    }

    @Test func percentagesTypedInAFormReadAsShown() throws {
        var book = Self.form.workbook()
        book.sheets[0].rows[2][4] = .text("95%")
        book.sheets[0].rows[3][4] = .text("40 ％")
        book.sheets[0].rows[4][4] = .text("0.5%")
        let file = (TemporaryDirectory.make() as NSString).appendingPathComponent("form.xlsx")
        try book.write(to: file)
        let rows = try SelfCheckForm.read(file: file).rows
        #expect(rows.map(\.actual) == [95, 40, 0.5, nil])
    }

    @Test func wholeRowsMovedOrATotalRowAddedStillRead() throws {
        var book = Self.form.workbook()
        book.sheets[0].rows.swapAt(2, 5)
        book.sheets[0].rows[2][5] = .number(12)
        book.sheets[0].rows.append([.text("合计"), .empty, .number(22.5), .empty, .empty, .number(12)])
        let file = (TemporaryDirectory.make() as NSString).appendingPathComponent("form.xlsx")
        try book.write(to: file)
        let rows = try SelfCheckForm.read(file: file).rows
        #expect(rows.map(\.indicator) == ["r1", "r2", "r3", "r4"])
        #expect(rows[3].selfScore == 12 && rows[3].line.hasSuffix("!F3"))
        #expect(rows[0].line.hasSuffix("!F6"))
    }

    // MARK: openpyxl (a real xlsx library)

    @Test func formFilledByOpenpyxlReadsBack() throws {
        let dir = TemporaryDirectory.make()
        let blank = (dir as NSString).appendingPathComponent("blank.xlsx"), filled = (dir as NSString).appendingPathComponent("filled.xlsx")
        try Self.form.workbook().write(to: blank)
        let script = """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            ws = wb['自查评分表']
            at = {ws.cell(row=r, column=9).value: r for r in range(3, ws.max_row + 1)}
            r = at['r1']; ws.cell(r, 5).value = 3; ws.cell(r, 6).value = 3; ws.cell(r, 7).value = '已完成'
            r = at['r2']; ws.cell(r, 5).value = 30; ws.cell(r, 6).value = 2.25; ws.cell(r, 7).value = '部分完成'; ws.cell(r, 8).value = '经费不足，培训推迟'
            r = at['r3']; ws.cell(r, 6).value = ' 1.5 '
            # a whole row moved: r1 and r4 trade places, hidden id column included
            for c in range(1, 10):
                a, b = ws.cell(at['r1'], c), ws.cell(at['r4'], c)
                a.value, b.value = b.value, a.value
            wb.save(sys.argv[2])
            """
        guard try Python.openpyxl(script, [blank, filled]) != nil else { return }
        let (unit, rows) = try SelfCheckForm.read(file: filled)
        #expect(unit == "cangxi")
        #expect(rows == [
            .init(indicator: "r1", actual: 3, selfScore: 3, completed: "已完成", reason: nil, line: "\(filled)[自查评分表]!F6"),
            .init(indicator: "r2", actual: 30, selfScore: 2.25, completed: "部分完成", reason: "经费不足，培训推迟", line: "\(filled)[自查评分表]!F4"),
            .init(indicator: "r3", actual: nil, selfScore: 1.5, completed: nil, reason: nil, line: "\(filled)[自查评分表]!F5"),
            .init(indicator: "r4", actual: nil, selfScore: nil, completed: nil, reason: nil, line: "\(filled)[自查评分表]!F3"),
        ])
        // a bad entry made through openpyxl is located too
        let bad = (dir as NSString).appendingPathComponent("bad.xlsx")
        guard try Python.openpyxl("import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1]); wb['自查评分表']['F5'] = '满分'; wb['自查评分表']['C3'] = 4; wb.save(sys.argv[2])",
                                  [filled, bad]) != nil else { return }
        let error = #expect(throws: DataError.self) { try SelfCheckForm.read(file: bad) }
        #expect(error?.diagnostics.map(\.description) == [
            "\(bad)[自查评分表]!C3: 分值 changed to 4; indicator 'r4' was issued with 15, the maximum set by the policy; restore it",
            "\(bad)[自查评分表]!F5: 自查得分 expects a number, got '满分'; put words in 完成情况 or 未完成情况说明",
        ])
    }
}
