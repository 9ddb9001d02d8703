public import Foundation

/// A workbook to write as .xlsx: sheets of typed cells.
public struct XLSXWorkbook: Sendable {
    public var sheets: [XLSXSheet]

    /// A workbook with the given sheets (the first visible one opens first).
    public init(sheets: [XLSXSheet]) { self.sheets = sheets }

    /// The workbook as .xlsx bytes; the same workbook always gives the same bytes.
    public func data() throws -> Data {
        try XLSXWriter.write(self)
    }

    /// Writes the workbook to a file.
    public func write(to path: String) throws {
        try data().write(to: URL(fileURLWithPath: path))
    }
}

/// One worksheet: rows of cells from A1, with layout.
public struct XLSXSheet: Sendable {
    public var name: String
    public var rows: [[XLSXCell]]
    /// Widths of columns A, B, … in characters (0 or missing: the default width).
    public var columnWidths: [Double]
    /// Merged ranges such as "A1:H1".
    public var merges: [String]
    public var hidden: Bool
    /// Rows kept in view when scrolling (0: none).
    public var frozenRows: Int
    /// Hidden columns, 0-based (A is 0).
    public var hiddenColumns: [Int]

    /// How the sheet prints; nil: the spreadsheet program's defaults.
    public var print: XLSXPrint?

    /// A sheet; everything but the name and rows is optional.
    public init(name: String, rows: [[XLSXCell]], columnWidths: [Double] = [], merges: [String] = [],
                hidden: Bool = false, frozenRows: Int = 0, hiddenColumns: [Int] = [], print: XLSXPrint? = nil) {
        self.name = name
        self.rows = rows
        self.columnWidths = columnWidths
        self.merges = merges
        self.hidden = hidden
        self.frozenRows = frozenRows
        self.hiddenColumns = hiddenColumns
        self.print = print
    }
}

/// A sheet's print setup: A4, one page wide (as many pages tall as it takes), the top rows repeated on every
/// page, grid borders on the table's rows, row heights that show wrapped text, a title and page numbers.
public struct XLSXPrint: Sendable, Equatable {
    public var landscape: Bool
    /// Rows (from the top) repeated on every printed page: the title and the header.
    public var repeatedRows: Int
    /// Rows (0-based, half-open) that form the table and get borders on every visible column.
    public var tableRows: Range<Int>
    /// Printed at the top of every page.
    public var title: String

    public init(landscape: Bool, repeatedRows: Int, tableRows: Range<Int>, title: String) {
        self.landscape = landscape
        self.repeatedRows = repeatedRows
        self.tableRows = tableRows
        self.title = title
    }
}

/// A cell to write.
public enum XLSXCell: Sendable, Equatable {
    case empty
    case text(String)
    case number(Double)
    /// Bold text, for headers and titles.
    case bold(String)
    /// Text that wraps within the column, aligned to the top.
    case wrapped(String)
}

/// A workbook that cannot be written (a bad sheet name, merge or number).
public struct XLSXWriteError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
