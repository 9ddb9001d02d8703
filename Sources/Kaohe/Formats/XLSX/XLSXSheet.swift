import Foundation

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
