import Foundation

/// CSV cells for spreadsheets.
public enum CSVText {
    /// RFC 4180: quoted only when the value holds a comma, quote or line break. No other change: for CSV that
    /// kaohe reads back itself (filled forms), where a `'` would change the data.
    static func quoted(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return s }
        var out = "\""
        for ch in s.unicodeScalars {
            if ch == "\"" { out += "\"\"" } else { out.unicodeScalars.append(ch) }
        }
        return out + "\""
    }

    /// What a CSV report starts with: the UTF-8 byte order mark, without which Excel on a Chinese Windows reads
    /// the file as GBK and garbles every Chinese name. Reports end their rows with CRLF, as Excel writes CSV.
    public static let byteOrderMark = "\u{FEFF}"

    /// A cell of a CSV report: a value that a spreadsheet would run as a formula (it begins with `=`, `+`, `-`,
    /// `@`, a tab or a carriage return, or a full-width `＝`, `＋`, `－`, `＠`) gets a leading `'` (OWASP's
    /// CSV-injection advice), unless it is a plain number such as `-3.5`; then RFC 4180 quoting. Nothing is
    /// removed.
    public static func cell(_ s: String) -> String {
        quoted(isFormulaLeading(s) ? "'" + s : s)
    }

    static func isFormulaLeading(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first else { return false }
        switch first {
        case "=", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}": return true
        case "+", "-": return !isPlainNumber(s)
        default: return false
        }
    }

    /// `-3.5`, `+2`, `1e-7`: a sign, digits with at most one point, an optional exponent; nothing else.
    static func isPlainNumber(_ s: String) -> Bool {
        var bytes = s.utf8[...]
        if let f = bytes.first, f == 0x2B || f == 0x2D { bytes = bytes.dropFirst() }
        var digits = 0, point = false
        while let b = bytes.first {
            if (0x30...0x39).contains(b) { digits += 1 } else if b == 0x2E && !point { point = true } else { break }
            bytes = bytes.dropFirst()
        }
        guard digits > 0 else { return false }
        if let e = bytes.first, e == 0x65 || e == 0x45 {
            bytes = bytes.dropFirst()
            if let f = bytes.first, f == 0x2B || f == 0x2D { bytes = bytes.dropFirst() }
            guard !bytes.isEmpty, bytes.allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
            return true
        }
        return bytes.isEmpty
    }
}
