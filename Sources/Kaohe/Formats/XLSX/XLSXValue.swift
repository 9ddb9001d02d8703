import Foundation

/// A cell's value as read: formulas give their cached result and dates stay serial numbers.
public enum XLSXValue: Hashable, Sendable {
    case empty
    case text(String)
    case number(Double)
    case bool(Bool)
    /// An error value such as "#DIV/0!".
    case error(String)
}
