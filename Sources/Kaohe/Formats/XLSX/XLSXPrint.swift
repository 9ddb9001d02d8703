import Foundation

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
