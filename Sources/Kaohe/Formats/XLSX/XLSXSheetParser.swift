import Foundation

/// Reads one worksheet part's cells and merged ranges.
struct XLSXSheetParser {
    let reader: XLSXReader
    let sheet: String
    let shared: [String]
    let styles: [XLSXReader.NumberStyle]

    func run(_ data: Data, part: String, into out: inout XLSXDocument.Sheet, sink: inout DiagnosticSink) throws {
        var row = 0, column = 0, badRow = false
        var ref: XLSXCellRef?
        var type = "", style = 0, value = "", inline = ""
        var capture = 0 // 1: <v>, 2: <t> of an inline string
        var inInline = false, phonetic = 0, formula = false, sawValue = false
        var cells: [XLSXCellRef: XLSXValue] = [:]
        var merges: [XLSXRange] = [], dates = Set<XLSXCellRef>(), uncalculated = Set<XLSXCellRef>()
        var percents = Set<XLSXCellRef>(), overPrecise: [XLSXCellRef: String] = [:]
        var problems: [Diagnostic] = []
        let file = reader.file, sheet = self.sheet
        func problem(_ at: XLSXCellRef?, _ message: String) {
            problems.append(Diagnostic(file: XLSXDocument.location(file, sheet, at), code: "xlsx.sheet", message: message))
        }
        try reader.parse(data, part: part, start: { name, attrs in
            switch name {
            case "row":
                // Excel's grid has 1,048,576 rows: a larger number (or the next row past the last) is damage,
                // and must not overflow the count
                if let r = attrs["r"] {
                    guard let n = Int(r.trimmingCharacters(in: .whitespaces)), n >= 1, n <= 1_048_576 else {
                        problem(nil, "a row is numbered '\(r.prefix(40))', outside Excel's rows 1 to 1,048,576; the file is damaged")
                        row = 1_048_577
                        badRow = true
                        column = 0
                        return
                    }
                    row = n
                    badRow = false
                } else if !badRow {
                    row = Swift.min(row, 1_048_576) + 1
                }
                column = 0
            case "c":
                if let r = attrs["r"] {
                    ref = XLSXCellRef(r)
                    if ref == nil { problem(nil, "a cell has the address '\(r)', which is not a cell address; the file is damaged") }
                } else if row <= 1_048_576, column < 16_384 {
                    ref = XLSXCellRef(row: max(row, 1), column: column + 1)
                } else {
                    ref = nil
                    // a cell of a misnumbered row is already reported with its row
                    if !badRow { badRow = true; problem(nil, "a cell lies outside Excel's grid of 1,048,576 rows × 16,384 columns; the file is damaged") }
                }
                column = ref?.column ?? column + 1
                type = attrs["t"] ?? "n"
                style = attrs["s"].flatMap { Int($0) } ?? 0
                value = ""
                inline = ""
                formula = false
                sawValue = false
            case "f": formula = true
            case "v":
                capture = 1
                sawValue = true
            case "is": inInline = true
            case "rPh": phonetic += 1
            case "t" where inInline && phonetic == 0: capture = 2
            case "mergeCell":
                if let r = attrs["ref"], let range = XLSXRange(r) { merges.append(range) }
            default: break
            }
        }, end: { name in
            switch name {
            case "v", "t": capture = 0
            case "is": inInline = false
            case "rPh": phonetic -= 1
            case "c":
                guard let at = ref else { return }
                // a formula whose result is empty text (=IF(…,"",…)) is saved as <v></v> with t="str": an empty
                // cell; a formula with no saved result at all was never calculated
                if formula && value.isEmpty && type != "inlineStr" {
                    if type == "str" && sawValue { ref = nil; return }
                    uncalculated.insert(at)
                }
                let v: XLSXValue
                switch type {
                case "s":
                    guard !value.isEmpty else { return }
                    guard let i = Int(value.trimmingCharacters(in: .whitespaces)), i >= 0, i < shared.count else {
                        problem(at, "the cell points to shared string \(value), which the workbook does not have; the file is damaged")
                        return
                    }
                    v = .text(shared[i])
                case "inlineStr": v = .text(XLSXReader.unescape(inline))
                case "str", "d": v = .text(XLSXReader.unescape(value))
                case "b": v = .bool(value.trimmingCharacters(in: .whitespaces) == "1" || value == "true")
                case "e": v = .error(value)
                default:
                    let t = value.trimmingCharacters(in: .whitespaces)
                    if t.isEmpty { return }
                    guard let d = Double(t), d.isFinite else {
                        problem(at, "the cell's number '\(t)' cannot be read; the file is damaged")
                        return
                    }
                    v = .number(d)
                    if style >= 0 && style < styles.count {
                        switch styles[style] {
                        case .date: dates.insert(at)
                        case .percent: percents.insert(at)
                        case .plain: break
                        }
                    }
                    // more than 15 digits is fine when they are a 15-digit number's own double written out long
                    // (openpyxl writes 97.35 as 97.34999999999999); a double no 15-digit number gives (0.1+0.2's
                    // 0.30000000000000004, 99.999999999999986 shown as 100) is not what the sheet shows
                    if t.utf8.count > 15, Array(t.utf8).withUnsafeBufferPointer({ NumberParsing.significantDigits($0) }) > 15,
                       Double(String(format: "%.15g", d)) != d {
                        overPrecise[at] = t
                    }
                }
                cells[at] = v
                ref = nil
            default: break
            }
        }, characters: { s in
            if capture == 1 { value += s } else if capture == 2 { inline += s }
        })
        for p in problems { sink.add(p) }
        out.cells = cells
        out.merges = merges
        out.dates = dates
        out.uncalculated = uncalculated
        out.percents = percents
        out.overPrecise = overPrecise
    }
}
