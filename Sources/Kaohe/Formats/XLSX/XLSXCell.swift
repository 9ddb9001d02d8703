import Foundation

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
