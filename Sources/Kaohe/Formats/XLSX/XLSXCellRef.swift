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
