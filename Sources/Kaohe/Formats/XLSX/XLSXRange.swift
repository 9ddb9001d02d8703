/// A rectangle of cells such as "A1:D1".
public struct XLSXRange: Hashable, Sendable, CustomStringConvertible {
    public var first: XLSXCellRef
    public var last: XLSXCellRef

    /// Parses "A1:D1" or a single cell "B2".
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let a = XLSXCellRef(parts[0]), let b = XLSXCellRef(parts[parts.count - 1]) else { return nil }
        first = XLSXCellRef(row: min(a.row, b.row), column: min(a.column, b.column))
        last = XLSXCellRef(row: max(a.row, b.row), column: max(a.column, b.column))
    }

    public func contains(_ ref: XLSXCellRef) -> Bool {
        (first.row...last.row).contains(ref.row) && (first.column...last.column).contains(ref.column)
    }

    public var description: String { first == last ? first.description : "\(first):\(last)" }
}
