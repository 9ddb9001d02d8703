import Foundation
import LuaRuntime

extension DatasetLoader {
    /// Loads a workbook with one sheet per declared table (sheet name = table name, first row = column names),
    /// checked like a CSV folder; every problem is located as `file.xlsx[sheet]!B7`.
    public static func loadWorkbook(policy: Policy, file: String) throws -> Dataset {
        guard let bytes = FileReading.bytes(atPath: file) else {
            throw DataError(diagnostics: [Diagnostic(file: file, message: "cannot read the file")])
        }
        let document = try XLSXDocument(bytes: bytes, file: file, onDisk: true)
        var sink = DiagnosticSink()
        var sheets: [XLSXDocument.Sheet] = []
        for input in policy.inputs {
            if let sheet = document.sheet(named: input.name) {
                sheets.append(sheet)
            } else {
                let names = document.sheets.map { "'\($0.name)'" }.joined(separator: ", ")
                sink.add(Diagnostic(file: file, message: "missing sheet '\(input.name)' for table '\(input.name)' (the policy declares it with columns \(input.columns.map(\.name).joined(separator: ", "))); the workbook has \(names)"))
            }
        }
        try sink.check()
        var builders: [TableBuilder] = []
        var unitPool: StringPool?
        for (input, sheet) in zip(policy.inputs, sheets) {
            let builder = TableBuilder(input: input, file: XLSXDocument.location(file, sheet.name),
                                       units: unitPool, expectedRows: sheet.rowNumbers.count)
            readSheet(sheet, into: builder, file: file)
            if builders.isEmpty {
                // the units table first: record tables resolve their unit ids against it
                if builder.sink.isEmpty && builder.rowCount == 0 {
                    builder.sink.add(Diagnostic(file: XLSXDocument.location(file, sheet.name, XLSXCellRef(row: 2, column: 1)),
                                                message: "the units table has no rows; list one unit per row"))
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
        return assemble(builders.map { b in
            let (table, lines) = b.finish(unitCount: unitCount)
            return (b, table, lines)
        }, sha256: Hashing.sha256(bytes))
    }

    /// Header row → declared columns, then one `TableBuilder` row per later non-empty row (its line is the
    /// sheet's row number).
    static func readSheet(_ sheet: XLSXDocument.Sheet, into builder: TableBuilder, file: String) {
        let input = builder.input
        func at(_ row: Int, _ column: Int) -> String {
            XLSXDocument.location(file, sheet.name, XLSXCellRef(row: row, column: column))
        }
        let rows = sheet.rowNumbers
        guard let headerRow = rows.first else {
            builder.sink.add(Diagnostic(file: at(1, 1), message: "empty sheet; expected a header row: \(input.columns.map(\.name).joined(separator: ", "))"))
            return
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
                builder.sink.add(Diagnostic(file: at(headerRow, column), message: "column '\(name)' appears twice in the header (first in column \(XLSXCellRef.letters(first)))"))
            }
            seen[c] = column
            map.append((column, c))
        }
        let missing = input.columns.indices.filter { seen[$0] == nil }
        if !missing.isEmpty {
            builder.sink.add(Diagnostic(file: at(headerRow, 1),
                                        message: missingColumns(input, missing, header: header, where_: " in the header row")))
            return
        }
        // a merge across data rows leaves all but its first cell empty, whatever the sheet shows
        for m in sheet.merges where m.last.row > headerRow && map.contains(where: { (m.first.column...m.last.column).contains($0.column) }) {
            builder.sink.add(Diagnostic(file: at(max(m.first.row, headerRow + 1), m.first.column),
                                        message: "merged cells \(m) in a data row; unmerge them and fill in every cell"))
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
                    builder.sink.add(Diagnostic(file: at(row, column), message: XLSXDocument.uncalculatedMessage))
                    continue
                }
                switch value {
                case .empty:
                    message = builder.set(c, UnsafeBufferPointer(start: nil, count: 0))
                case .text(var t):
                    message = t.withUTF8 { builder.set(c, $0) }
                case .number(let v):
                    if sheet.dates.contains(ref), input.columns[c].type == .text || input.columns[c].type == .enum {
                        message = "column '\(input.columns[c].name)' expects text, but the cell holds a date (Excel turned what was typed into one); format the column as text and type the value again"
                    } else {
                        message = builder.set(c, number: v)
                    }
                case .bool(let b):
                    message = builder.set(c, number: b ? 1 : 0)
                case .error(let e):
                    message = "the cell holds the error \(e); fix the formula or type the value"
                }
                if let message { builder.sink.add(Diagnostic(file: at(row, column), message: message)) }
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
