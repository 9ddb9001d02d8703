import Foundation

/// A unit's self-check form (自查评分表) as an .xlsx the unit fills in: one row per indicator with its content,
/// maximum and target, and blank cells for the actual result, the self-check score and the explanations.
///
/// Indicator ids live in two places. The visible sheet's hidden column I carries each row's id, so a row moved
/// or sorted as a whole is still read by id, never by position. The hidden sheet `_kaohe` is the record of
/// what was issued (unit, sheet name, and per indicator: id, row, maximum, content); the reader checks every
/// row against it, so a changed maximum, a deleted row, or cells moved apart from their id are errors.
public struct SelfCheckForm: Sendable {
    /// One indicator of the form.
    public struct Row: Sendable, Equatable {
        public var indicator: String
        public var content: String
        public var maxPoints: Double
        public var target: String

        /// An indicator row: its id, 考核内容, 分值 and 目标.
        public init(indicator: String, content: String, maxPoints: Double, target: String) {
            self.indicator = indicator
            self.content = content
            self.maxPoints = maxPoints
            self.target = target
        }
    }

    /// One indicator as the unit filled it in.
    public struct FilledRow: Sendable, Equatable {
        public var indicator: String
        /// 实际完成.
        public var actual: Double?
        /// 自查得分.
        public var selfScore: Double?
        /// 完成情况.
        public var completed: String?
        /// 未完成情况说明.
        public var reason: String?
        /// Where the row is, `file.xlsx[自查评分表]!F7`.
        public var line: String
    }

    public var unitID: String
    public var unitName: String
    public var title: String
    public var rows: [Row]

    /// A form for one unit.
    public init(unitID: String, unitName: String, title: String, rows: [Row]) {
        self.unitID = unitID
        self.unitName = unitName
        self.title = title
        self.rows = rows
    }

    public static let sheetName = "自查评分表"
    static let metaSheet = "_kaohe"
    static let marker = "kaohe self-check form"
    static let version = 1.0
    public static let headers = ["填报单位", "考核内容", "分值", "目标", "实际完成", "自查得分", "完成情况", "未完成情况说明", "indicator"]
    static let headerRow = 2
    // columns, from 1
    static let contentColumn = 2, maxColumn = 3, actualColumn = 5, scoreColumn = 6, completedColumn = 7
    static let reasonColumn = 8, idColumn = 9
    /// The signature line under the table (columns B, C…): what the printed form in the seed asks for.
    static let signature = ["填报单位（盖章）：＿＿＿＿＿＿＿＿＿＿＿＿", "", "填报人：＿＿＿＿＿＿", "", "", "审核人：＿＿＿＿＿＿＿＿",
                            "日期：＿＿＿＿年＿＿月＿＿日"]
    static let signatureLabels = ["填报单位", "填报人", "审核人", "日期"]

    /// Row of `_kaohe` where the indicator list starts (after marker, unit, sheet and a header).
    static let metaFirstIndicator = 5

    /// The form as a workbook: the visible form (title, header, one row per indicator) and the hidden `_kaohe`.
    public func workbook() -> XLSXWorkbook {
        var form: [[XLSXCell]] = [[.bold(title)], Self.headers.map { .bold($0) }]
        var meta: [[XLSXCell]] = [[.text(Self.marker), .number(Self.version)], [.text("unit"), .text(unitID), .text(unitName)],
                                  [.text("sheet"), .text(Self.sheetName)], [.text("indicator"), .text("row"), .text("max"), .text("content")]]
        for (k, row) in rows.enumerated() {
            form.append([.text(unitName), .wrapped(row.content), .number(row.maxPoints), .wrapped(row.target),
                         .empty, .empty, .empty, .empty, .text(row.indicator)])
            meta.append([.text(row.indicator), .number(Double(Self.headerRow + 1 + k)), .number(row.maxPoints), .text(row.content)])
        }
        let table = 1..<form.count
        // below the table, as on the printed form: who filled it in, who checked it, and when
        form.append([])
        form.append([.empty] + Self.signature.map { $0.isEmpty ? .empty : .text($0) })
        return XLSXWorkbook(sheets: [
            XLSXSheet(name: Self.sheetName, rows: form, columnWidths: [12, 48, 7, 24, 10, 10, 28, 28, 14],
                      merges: ["A1:H1"], frozenRows: Self.headerRow, hiddenColumns: [Self.idColumn - 1],
                      // the title is row 1, repeated on every page with the header
                      print: XLSXPrint(landscape: true, repeatedRows: Self.headerRow, tableRows: table, title: "")),
            XLSXSheet(name: Self.metaSheet, rows: meta, hidden: true),
        ])
    }

    /// Whether the workbook at `file` is a self-check form kaohe wrote (it has the hidden meta sheet), as
    /// opposed to a data workbook; false when it cannot be read.
    public static func isForm(file: String) -> Bool {
        guard let doc = try? XLSXDocument.read(file: file), let meta = doc.sheet(named: metaSheet) else { return false }
        return meta[row: 1, column: 1] == .text(marker)
    }

    /// Reads a filled form: the unit's id and each indicator's entries, in issued order. A changed 分值, a
    /// missing or duplicated indicator, text in a number cell, merged cells or cells moved apart from their
    /// row are `DataError`s located as `file.xlsx[sheet]!C17`.
    public static func read(file: String) throws -> (unitID: String, rows: [FilledRow]) {
        try read(XLSXDocument.read(file: file))
    }

    /// Reads a filled form already opened.
    public static func read(_ doc: XLSXDocument) throws -> (unitID: String, rows: [FilledRow]) {
        let file = doc.file
        func fail(_ at: String, _ code: String, _ message: String) -> DataError { DataError(file: at, code: code, message) }
        guard let meta = doc.sheet(named: metaSheet), meta[row: 1, column: 1] == .text(marker) else {
            throw fail(file, "form.not-a-form", "not a kaohe self-check form (it has no hidden '\(metaSheet)' sheet); fill in a blank form that kaohe wrote for the unit")
        }
        func metaAt(_ row: Int, _ column: Int) -> String {
            XLSXDocument.location(file, metaSheet, XLSXCellRef(row: row, column: column))
        }
        guard meta[row: 1, column: 2] == .number(version) else {
            throw fail(metaAt(1, 2), "form.version", "the form was written by another version of kaohe; write it again with this one")
        }
        guard let unitID = text(meta[row: 2, column: 2]) else {
            throw fail(metaAt(2, 2), "form.meta-edited", "the form's unit id is missing; the hidden '\(metaSheet)' sheet was edited — write the form again")
        }
        // issued indicators: id → (row, max, content)
        var issued: [(id: String, row: Int, max: Double, content: String)] = []
        var sink = DiagnosticSink()
        for r in meta.rowNumbers where r >= metaFirstIndicator {
            guard let id = text(meta[row: r, column: 1]), case .number(let row) = meta[row: r, column: 2],
                  case .number(let max) = meta[row: r, column: 3] else {
                throw fail(metaAt(r, 1), "form.meta-edited", "the hidden '\(metaSheet)' sheet was edited (an indicator entry is incomplete); write the form again")
            }
            issued.append((id, Int(row), max, text(meta[row: r, column: 4]) ?? ""))
        }
        let formName = text(meta[row: 3, column: 2]) ?? sheetName
        let visible = doc.sheets.filter { !$0.hidden && $0.name != metaSheet }
        guard let sheet = doc.sheet(named: formName) ?? (visible.count == 1 ? visible[0] : nil) else {
            throw fail(file, "form.sheet-missing", "the form sheet '\(formName)' is missing (sheets: \(doc.sheets.map(\.name).joined(separator: ", "))); do not rename it")
        }
        func at(_ row: Int, _ column: Int) -> String { XLSXDocument.location(file, sheet.name, XLSXCellRef(row: row, column: column)) }
        // the header: found by 填报单位 in column A (rows inserted above are harmless), columns unchanged
        guard let header = sheet.rowNumbers.first(where: { text(sheet[row: $0, column: 1]) == headers[0] }) else {
            throw fail(at(headerRow, 1), "form.header-missing", "the header row (填报单位, 考核内容, 分值, …) is missing; use the form as issued")
        }
        if let k = headers.indices.first(where: { text(sheet[row: header, column: $0 + 1]) != headers[$0] }) {
            sink.add(Diagnostic(file: at(header, k + 1), code: "form.header-moved", message: "expected the header '\(headers[k])' here, found '\(text(sheet[row: header, column: k + 1]) ?? "")'; do not insert, delete or move columns"))
        }
        for m in sheet.merges where m.last.row > header {
            sink.add(Diagnostic(file: at(max(m.first.row, header + 1), m.first.column), code: "form.merged-cells", message: "merged cells \(m) in an indicator row; unmerge them so each row has its own cells"))
        }
        try sink.check()
        let byID = Dictionary(issued.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var found: [Int: FilledRow] = [:], foundRow: [Int: Int] = [:]
        for r in sheet.rowNumbers where r > header {
            guard let id = text(sheet[row: r, column: idColumn]) else {
                let entered = (actualColumn...reasonColumn).contains { text(sheet[row: r, column: $0]) != nil }
                let label = text(sheet[row: r, column: 1]) ?? text(sheet[row: r, column: contentColumn]) ?? ""
                // the signature line: every cell it holds starts with one of its labels (填报人：张三 is fine)
                let cells = (1...reasonColumn).compactMap { text(sheet[row: r, column: $0]) }
                let signed = !cells.isEmpty && cells.allSatisfy { c in signatureLabels.contains { c.hasPrefix($0) } }
                if entered && !signed && !["合计", "总计", "合 计"].contains(label) {
                    sink.add(Diagnostic(file: at(r, scoreColumn), code: "form.row-added", message: "row \(r) has entries but no indicator id (hidden column I): it was added or copied in; enter results only in the issued rows, or move whole rows"))
                }
                continue
            }
            guard let k = byID[id] else {
                sink.add(Diagnostic(file: at(r, idColumn), code: "form.unknown-indicator", message: "unknown indicator '\(id)' in hidden column I; the row does not belong to this form"))
                continue
            }
            let want = issued[k]
            if let first = foundRow[k] {
                sink.add(Diagnostic(file: at(r, idColumn), code: "form.duplicate-indicator", message: "indicator '\(id)' appears twice (rows \(first) and \(r)); delete the copy"))
                continue
            }
            foundRow[k] = r
            if normalized(text(sheet[row: r, column: contentColumn]) ?? "") != normalized(want.content) {
                sink.add(Diagnostic(file: at(r, contentColumn), code: "form.content-changed", message: "考核内容 does not match indicator '\(id)' (issued in row \(want.row)): cells were moved apart from their row or edited; move whole rows only, and do not edit 考核内容"))
            }
            switch number(sheet, r, maxColumn) {
            case .success(let v?) where v == want.max: break
            case .success(let v):
                let change = v.map { "changed to \(JSONValue.numberText($0))" } ?? "cleared"
                sink.add(Diagnostic(file: at(r, maxColumn), code: "form.max-changed", message: "分值 \(change); indicator '\(id)' was issued with \(JSONValue.numberText(want.max)), the maximum set by the policy; restore it"))
            case .failure(let p): sink.add(Diagnostic(file: at(r, maxColumn), code: "form.value", message: p.description))
            }
            var values: [Double?] = []
            for c in [actualColumn, scoreColumn] {
                switch number(sheet, r, c) {
                case .success(let v): values.append(v)
                case .failure(let p):
                    sink.add(Diagnostic(file: at(r, c), code: "form.value", message: p.description))
                    values.append(nil)
                }
            }
            var notes: [String?] = []
            for c in [completedColumn, reasonColumn] {
                let ref = XLSXCellRef(row: r, column: c)
                if sheet.uncalculated.contains(ref) { sink.add(Diagnostic(file: at(r, c), code: "xlsx.uncalculated", message: XLSXDocument.uncalculatedMessage)) }
                if case .error(let e) = sheet[ref] { sink.add(Diagnostic(file: at(r, c), code: "xlsx.cell-error", message: "the cell holds the error \(e)")) }
                notes.append(text(sheet[ref]))
            }
            found[k] = FilledRow(indicator: id, actual: values[0], selfScore: values[1], completed: notes[0], reason: notes[1],
                                 line: at(r, scoreColumn))
        }
        for (k, want) in issued.enumerated() where foundRow[k] == nil {
            sink.add(Diagnostic(file: at(want.row, contentColumn), code: "form.row-deleted", message: "indicator '\(want.id)' (issued in row \(want.row): \(short(want.content))) is missing: its row was deleted or its id cleared; restore the row from the issued form"))
        }
        try sink.check()
        return (unitID, issued.indices.map { found[$0]! })
    }

    /// A number cell: a number, numeric text, or empty (nil); anything else is a message.
    private static func number(_ sheet: XLSXDocument.Sheet, _ row: Int, _ column: Int) -> Result<Double?, Problem> {
        let ref = XLSXCellRef(row: row, column: column)
        let name = headers[column - 1]
        if sheet.uncalculated.contains(ref) { return .failure(Problem(XLSXDocument.uncalculatedMessage)) }
        switch sheet[ref] {
        case .empty: return .success(nil)
        case .number(let v):
            if let digits = sheet.overPrecise[ref] { return .failure(Problem(XLSXDocument.overPreciseMessage(name, digits))) }
            if sheet.dates.contains(ref) {
                return .failure(Problem("\(name) expects a number, but the cell holds a date (\(XLSXDocument.dateText(v))); format the cell as a number and type the value again"))
            }
            // a cell showing 95% holds 0.95: the form's figures are what was typed, as targets are written (95)
            return .success(sheet.percents.contains(ref) ? TableBuilder.percentOf(fraction: v) : v)
        case .text(var t):
            t = t.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.isEmpty { return .success(nil) }
            let shown = short(t)
            var bytes = t
            return bytes.withUTF8 { p -> Result<Double?, Problem> in
                // "95%" typed as text reads as the 95 it shows; the data path's hints for the rest
                let digits = NumberParsing.percentPart(p) ?? p
                if let v = NumberParsing.parse(digits) {
                    if NumberParsing.significantDigits(digits) > 15 {
                        return .failure(Problem("\(name): '\(shown)' has more than 15 significant digits, more than can be compared exactly; round it"))
                    }
                    return .success(v)
                }
                let hint = NumberParsing.hint(p)
                return .failure(Problem("\(name) expects a number, got '\(shown)'" + (hint.isEmpty ? "; put words in 完成情况 or 未完成情况说明" : hint)))
            }
        case .bool(let b): return .failure(Problem("\(name) expects a number, got the logical value \(b ? "TRUE" : "FALSE"); type the number"))
        case .error(let e): return .failure(Problem("\(name) holds the error \(e); fix the formula or type the number"))
        }
    }

    private struct Problem: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    private static func text(_ v: XLSXValue) -> String? {
        switch v {
        case .text(let t):
            let s = t.trimmingCharacters(in: .whitespacesAndNewlines)
            return s.isEmpty ? nil : s
        case .number(let n): return JSONValue.numberText(n)
        case .bool(let b): return b ? "TRUE" : "FALSE"
        case .empty, .error: return nil
        }
    }

    private static func normalized(_ s: String) -> String {
        String(s.unicodeScalars.filter { !$0.properties.isWhitespace })
    }

    private static func short(_ s: String) -> String { s.count > 30 ? String(s.prefix(30)) + "…" : s }
}
