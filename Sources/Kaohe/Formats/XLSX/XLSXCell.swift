import Foundation

/// A cell to write.
public enum XLSXCell: Sendable, Equatable {
    case empty
    case text(String)
    case number(Double)
    /// A number shown with exactly `places` decimals (0–6): a total "保留两位小数" reads 92.30 in the sheet too.
    case decimal(Double, places: Int)
    /// Bold text, for headers and titles.
    case bold(String)
    /// Text that wraps within the column, aligned to the top.
    case wrapped(String)
}
