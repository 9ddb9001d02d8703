import Foundation
import LuaRuntime

extension DatasetLoader {
    /// Loads a workbook with one sheet per declared table (sheet name = table name, first row = column names),
    /// checked like a CSV folder; every problem is located as `file.xlsx[sheet]!B7`.
    public static func loadWorkbook(policy: Policy, file: String) throws -> Dataset {
        guard let bytes = FileReading.bytes(atPath: file) else {
            throw DataError(diagnostics: [Diagnostic(file: file, code: "data.unreadable", message: "cannot read the file")])
        }
        let document = try XLSXDocument(bytes: bytes, file: file, onDisk: true)
        var sink = DiagnosticSink()
        var sheets: [XLSXDocument.Sheet] = []
        for input in policy.inputs {
            if let sheet = document.sheet(named: input.name) {
                sheets.append(sheet)
            } else {
                let names = document.sheets.map { "'\($0.name)'" }.joined(separator: ", ")
                sink.add(Diagnostic(file: file, code: "data.missing-table", message: "missing sheet '\(input.name)' for table '\(input.name)' (the policy declares it with columns \(input.columns.map(\.name).joined(separator: ", "))); the workbook has \(names)"))
            }
        }
        try sink.check()
        var builders: [TableBuilder] = []
        var unitPool: StringPool?
        for (input, sheet) in zip(policy.inputs, sheets) {
            let builder = TableBuilder(input: input, file: XLSXDocument.location(file, sheet.name),
                                       units: unitPool, expectedRows: sheet.rowNumbers.count)
            builder.locate = { [file, name = sheet.name] row in
                (XLSXDocument.location(file, name, XLSXCellRef(row: row, column: 1)), nil)
            }
            readSheet(sheet, into: builder, file: file)
            if builders.isEmpty {
                // the units table first: record tables resolve their unit ids against it
                if builder.sink.isEmpty && builder.rowCount == 0 {
                    builder.sink.add(Diagnostic(file: XLSXDocument.location(file, sheet.name, XLSXCellRef(row: 2, column: 1)),
                                                code: "data.no-units", message: "the units table has no rows; list one unit per row"))
                }
                sink.merge(builder.sink)
                // the other tables are still checked when the units table has problems, as long as it has unit ids
                if builder.rowCount == 0 { try sink.check() }
                unitPool = builder.pools[builder.unitColumn]
            } else {
                sink.merge(builder.sink)
            }
            builders.append(builder)
        }
        try sink.check()
        let unitCount = builders[0].rowCount
        return try assemble(builders.map { b in
            let (table, lines) = b.finish(unitCount: unitCount)
            return (b, table, lines)
        }, sha256: Hashing.sha256(bytes), groups: policy.groups)
    }

    /// One table of a data folder given as a workbook (`study.xlsx` for the table `study`): its sheet named
    /// after the table, or its only visible sheet, read as the workbook loader reads a sheet.
    static func workbookTable(_ input: Policy.Input, path: String, bytes: [UInt8], units: StringPool?) throws -> TableBuilder {
        let document = try XLSXDocument(bytes: bytes, file: path, onDisk: true)
        let visible = document.sheets.filter { !$0.hidden }
        guard let sheet = document.sheet(named: input.name) ?? (visible.count == 1 ? visible[0] : nil) else {
            throw DataError(diagnostics: [Diagnostic(file: path, code: "data.sheet-not-found", message: "the workbook has sheets \(document.sheets.map { "'\($0.name)'" }.joined(separator: ", ")) "
                + "and none is named '\(input.name)'; keep one sheet, or name the table's sheet '\(input.name)'")])
        }
        let builder = TableBuilder(input: input, file: XLSXDocument.location(path, sheet.name), units: units,
                                   expectedRows: sheet.rowNumbers.count)
        builder.locate = { [path, name = sheet.name] row in
            (XLSXDocument.location(path, name, XLSXCellRef(row: row, column: 1)), nil)
        }
        readSheet(sheet, into: builder, file: path)
        return builder
    }

    /// Header row → declared columns, then one `TableBuilder` row per later non-empty row (its line is the
    /// sheet's row number).
    static func readSheet(_ sheet: XLSXDocument.Sheet, into builder: TableBuilder, file: String) {
        let input = builder.input
        func at(_ row: Int, _ column: Int) -> String {
            XLSXDocument.location(file, sheet.name, XLSXCellRef(row: row, column: column))
        }
        var rows = sheet.rowNumbers
        guard var headerRow = rows.first else {
            builder.sink.add(Diagnostic(file: at(1, 1), code: "data.no-header", message: "empty sheet; expected a header row: \(input.columns.map(\.name).joined(separator: ", "))"))
            return
        }
        // a title above the header (one cell, often merged across the table, as offices print them): the
        // header is the first row that names every declared column, if only title rows come before it
        func names(_ row: Int) -> Set<String> {
            Set((1...max(sheet.columnCount, 1)).compactMap { column -> String? in
                if case .text(let t) = sheet[row: row, column: column] { return t.trimmingCharacters(in: .whitespaces) }
                return nil
            })
        }
        func filled(_ row: Int) -> Int {
            (1...max(sheet.columnCount, 1)).filter { !isBlank(sheet[row: row, column: $0]) }.count
        }
        let declared = Set(input.columns.map(\.name))
        var title: String?
        if !declared.isSubset(of: names(headerRow)) {
            if filled(headerRow) == 1, let only = (1...max(sheet.columnCount, 1)).lazy.compactMap({ c -> String? in
                if case .text(let t) = sheet[row: headerRow, column: c] { return t }
                return nil
            }).first { title = only }
            for (k, r) in rows.prefix(6).enumerated() where k > 0 && declared.isSubset(of: names(r)) {
                if rows.prefix(k).allSatisfy({ filled($0) <= 1 }) {
                    headerRow = r
                    rows = Array(rows.dropFirst(k))
                    title = nil
                }
                break
            }
        }
        var map: [(column: Int, declared: Int)] = []
        var seen: [Int: Int] = [:]
        var header: [String] = []
        for column in 1...max(sheet.columnCount, 1) {
            let name: String
            switch sheet[row: headerRow, column: column] {
            case .text(let t): name = t.trimmingCharacters(in: .whitespaces)
            case .number(let v): name = JSONValue.numberText(v)
            default: continue
            }
            header.append(name)
            guard let c = input.columns.firstIndex(where: { $0.name == name }) else { continue }
            if let first = seen[c] {
                builder.sink.add(Diagnostic(file: at(headerRow, column), code: "data.duplicate-column", message: "column '\(name)' appears twice in the header (first in column \(XLSXCellRef.letters(first)))"))
            }
            seen[c] = column
            map.append((column, c))
        }
        let missing = input.columns.indices.filter { seen[$0] == nil }
        if !missing.isEmpty {
            let titled = title.map { t in
                "; row \(headerRow) holds only '\(t.count > 30 ? String(t.prefix(30)) + "…" : t)', which looks like a title: the header row "
                    + "(the column names) must come first, or right after such title rows"
            } ?? ""
            builder.sink.add(Diagnostic(file: at(headerRow, 1),
                                        code: "data.missing-column", message: missingColumns(input, missing, header: header, where_: " in the header row") + titled))
            return
        }
        // a merge across data rows leaves all but its first cell empty, whatever the sheet shows
        for m in sheet.merges where m.last.row > headerRow && map.contains(where: { (m.first.column...m.last.column).contains($0.column) }) {
            builder.sink.add(Diagnostic(file: at(max(m.first.row, headerRow + 1), m.first.column),
                                        code: "xlsx.merged-cells", message: "merged cells \(m) in a data row; unmerge them and fill in every cell"))
        }
        if !builder.sink.isEmpty { return }
        for row in rows.dropFirst() {
            // rows whose declared columns are all empty (spacing, notes in other columns) are not data
            if map.allSatisfy({ isBlank(sheet[row: row, column: $0.column]) }) { continue }
            builder.beginRow(line: row)
            for (column, c) in map {
                let ref = XLSXCellRef(row: row, column: column)
                let value = sheet[ref]
                var message: String?
                if sheet.uncalculated.contains(ref) {
                    builder.sink.add(Diagnostic(file: at(row, column), code: "xlsx.uncalculated", message: XLSXDocument.uncalculatedMessage))
                    continue
                }
                let column_ = input.columns[c]
                switch value {
                case .empty:
                    message = builder.set(c, UnsafeBufferPointer(start: nil, count: 0))
                case .text(var t):
                    message = t.withUTF8 { builder.set(c, $0) }
                case .number(let v):
                    if let digits = sheet.overPrecise[ref] {
                        message = XLSXDocument.overPreciseMessage(column_.name, digits)
                    } else if sheet.dates.contains(ref) {
                        message = XLSXDocument.dateMessage(column_, v)
                    } else if sheet.percents.contains(ref) {
                        message = builder.set(c, percentCell: v)
                    } else {
                        message = builder.set(c, number: v)
                    }
                case .bool(let b):
                    // a logical value is what Excel makes of TRUE/FALSE typed in a cell: a flag, and nothing else
                    if column_.type == .flag {
                        message = builder.set(c, number: b ? 1 : 0)
                    } else {
                        message = "column '\(column_.name)' expects \(XLSXDocument.expected(column_)), but the cell holds the logical value "
                            + "\(b ? "TRUE" : "FALSE") (Excel turned what was typed into one); type the value, or format the cell as text and type it again"
                    }
                case .error(let e):
                    message = "the cell holds the error \(e); fix the formula or type the value"
                }
                if let message { builder.sink.add(Diagnostic(file: at(row, column), code: "data.value", message: message)) }
            }
        }
    }

    private static func isBlank(_ v: XLSXValue) -> Bool {
        switch v {
        case .empty: return true
        case .text(let t): return t.trimmingCharacters(in: .whitespaces).isEmpty
        default: return false
        }
    }
}
