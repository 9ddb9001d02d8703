import Foundation

/// An .xlsx workbook read into memory: every worksheet's cell values and merged ranges.
public struct XLSXDocument: Sendable {
    /// One worksheet.
    public struct Sheet: Sendable {
        public var name: String
        public var hidden: Bool
        public var cells: [XLSXCellRef: XLSXValue]
        public var merges: [XLSXRange]
        /// Number cells shown as dates or times.
        public var dates: Set<XLSXCellRef>
        /// Formula cells saved without a calculated result (by a program that does not calculate).
        public var uncalculated: Set<XLSXCellRef>
        /// Number cells shown as percentages (`0%`, `0.00%` or a custom format with `%`): the cell holds 0.95
        /// where the person typed 95%.
        public var percents: Set<XLSXCellRef> = []
        /// Number cells whose value no number of 15 significant digits gives (a formula's result such as
        /// 99.999999999999986, which Excel shows as 100), with the digits as saved.
        public var overPrecise: [XLSXCellRef: String] = [:]

        /// The value at `ref` (`.empty` when the cell is absent).
        public subscript(_ ref: XLSXCellRef) -> XLSXValue { cells[ref] ?? .empty }
        /// The value at row `row`, column `column` (both from 1).
        public subscript(row row: Int, column column: Int) -> XLSXValue { cells[XLSXCellRef(row: row, column: column)] ?? .empty }

        /// Row numbers that hold at least one cell, in order.
        public var rowNumbers: [Int] { Set(cells.keys.map(\.row)).sorted() }
        /// The last column that holds a cell (0 when empty).
        public var columnCount: Int { cells.keys.map(\.column).max() ?? 0 }
    }

    /// The file as given, for messages.
    public var file: String
    public var sheets: [Sheet]

    /// The sheet with this name.
    public func sheet(named name: String) -> Sheet? { sheets.first { $0.name == name } }

    static let uncalculatedMessage = "the cell's formula was saved without its result (by a program that does not calculate); open the file in Excel or WPS and save it again, or type the value"

    /// What a column expects, for messages: "a number", "text", "one of a, b".
    static func expected(_ column: Policy.Column) -> String {
        switch column.type {
        case .text: return "text"
        case .integer: return "an integer"
        case .number: return "a number"
        case .percent: return "a percentage"
        case .flag: return "a flag (0 or 1)"
        case .enum: return "one of " + (column.values ?? []).joined(separator: ", ")
        }
    }

    /// A date cell in a data column: no column holds dates, so the cell was typed as something Excel read as
    /// one (2024-01-05 for "1-5", or a number formatted as a date).
    static func dateMessage(_ column: Policy.Column, _ serial: Double) -> String {
        "column '\(column.name)' expects \(expected(column)), but the cell holds a date (\(dateText(serial)); Excel turned what "
            + "was typed into one, or the cell is formatted as a date); format the column as \(column.type == .text || column.type == .enum ? "text" : "a number") and type the value again"
    }

    /// A number saved with more than 15 significant digits: a spreadsheet shows it rounded, so the value the
    /// policy would compare is not the one on screen.
    static func overPreciseMessage(_ column: String, _ digits: String) -> String {
        "column '\(column)': the cell holds \(digits), more than 15 significant digits (a spreadsheet shows it rounded, "
            + "so a comparison such as ≥ 100 would not see what is shown); round it in the sheet (=ROUND(…, 2)) or type the value"
    }

    /// A date serial (1900 date system) as yyyy-mm-dd, or the serial itself outside 1900-03-01…9999-12-31.
    static func dateText(_ serial: Double) -> String {
        guard serial >= 61 && serial < 2_958_466 else { return "serial \(JSONValue.numberText(serial))" }
        // days since 1899-12-30 (serials from 61 on skip Excel's phantom 1900-02-29), to days since 1970-01-01
        let (y, m, d) = HistoryTime.civil(fromDays: Int64(serial.rounded(.down)) - 25_569)
        return String(format: "%04lld-%02lld-%02lld", y, m, d)
    }

    /// `file.xlsx[sheet]!C17`, the location used in diagnostics.
    public static func location(_ file: String, _ sheet: String, _ ref: XLSXCellRef? = nil) -> String {
        "\(file)[\(sheet)]" + (ref.map { "!\($0)" } ?? "")
    }

    /// Reads an .xlsx file; problems are a `DataError` located at the file, sheet or cell.
    public static func read(file: String) throws -> XLSXDocument {
        guard let bytes = FileReading.bytes(atPath: file) else {
            throw DataError(diagnostics: [Diagnostic(file: file, code: "data.unreadable", message: "cannot read the file")])
        }
        return try XLSXDocument(bytes: bytes, file: file, onDisk: true)
    }

    /// Reads .xlsx bytes; `file` names them in messages.
    public init(bytes: [UInt8], file: String) throws {
        try self.init(bytes: bytes, file: file, onDisk: false)
    }

    /// `onDisk`: the bytes are the contents of `file`.
    init(bytes: [UInt8], file: String, onDisk: Bool, limits: XLSXZip.Limits = .standard) throws {
        self.file = file
        self.sheets = try XLSXReader(file: file, limits: limits).read(bytes, onDisk: onDisk)
    }
}
