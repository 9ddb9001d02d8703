/// A cell address such as "C17" (row and column from 1).
public struct XLSXCellRef: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var row: Int
    public var column: Int

    /// A cell by row and column, both from 1.
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Parses "C17" (also "$C$17"); nil for anything else or beyond Excel's 1,048,576 × 16,384 grid.
    public init?(_ text: some StringProtocol) {
        var column = 0, row = 0, letters = 0, digits = 0
        for ch in text.utf8 where ch != 0x24 {
            switch ch {
            case 0x41...0x5A where digits == 0: column = column * 26 + Int(ch - 0x40); letters += 1
            case 0x61...0x7A where digits == 0: column = column * 26 + Int(ch - 0x60); letters += 1
            case 0x30...0x39 where letters > 0: row = row * 10 + Int(ch - 0x30); digits += 1
            default: return nil
            }
            if letters > 3 || digits > 7 { return nil }
        }
        guard row >= 1, row <= 1_048_576, column >= 1, column <= 16_384 else { return nil }
        self.init(row: row, column: column)
    }

    /// Column letters: 1 → "A", 27 → "AA".
    public static func letters(_ column: Int) -> String {
        var n = column, out: [Character] = []
        while n > 0 {
            let r = (n - 1) % 26
            out.insert(Character(Unicode.Scalar(UInt8(65 + r))), at: 0)
            n = (n - 1) / 26
        }
        return String(out)
    }

    public var description: String { XLSXCellRef.letters(column) + String(row) }

    public static func < (a: XLSXCellRef, b: XLSXCellRef) -> Bool {
        (a.row, a.column) < (b.row, b.column)
    }
}

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
