import Foundation

/// Neutralising untrusted text (unit names and ids, notes, policy titles, test messages) for each kind of output.
/// Unit data and policy code are untrusted: nothing they supply may drive a terminal, become a spreadsheet formula,
/// or become markup or a live link.
///
/// - Text (terminal tables, `explain`, `test`, diagnostics): `TerminalText` writes each control or bidirectional
///   formatting character as a visible `\u{HEX}` escape.
/// - CSV: `CSVText` quotes (RFC 4180) and prefixes a formula-leading cell with `'` (OWASP).
/// - Markdown: `MarkdownText` writes `<`, `>`, `&` as character references and backslash-escapes what makes links,
///   images, code spans and table cells.
/// - JSON (`JSONWriter.quote`) escapes the same characters as `\uXXXX`, losslessly; HTML (`HTMLWriter.escape`)
///   writes them visibly like text; XLSX cells are always strings (shared strings), never formulas.
public enum TerminalText {
    /// Whether `u` must not reach a terminal or a reader as it is: C0 controls, DEL, C1 controls, the Unicode
    /// bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the line
    /// and paragraph separators (U+2028, U+2029).
    @inline(__always)
    public static func isUnsafe(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        if v < 0x61C { return false }
        return v == 0x61C || v == 0x200E || v == 0x200F || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            || v == 0x2028 || v == 0x2029
    }

    /// Whether the UTF-8 bytes may hold an unsafe character (a cheap scan: false means certainly none).
    @inline(__always)
    static func mayBeUnsafe(_ s: String) -> Bool {
        // C0 and DEL; C2 starts U+0080–U+00BF (C1); D8 starts U+061C; E2 starts U+2000–U+2FFF
        s.utf8.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xD8 || $0 == 0xE2 }
    }

    /// `\u{1B}` for U+001B: the form shown for every unsafe character.
    public static func visible(_ u: Unicode.Scalar) -> String {
        "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
    }

    /// `s` with every unsafe character written as `\u{HEX}` (ESC as `\u{1B}`, U+202E as `\u{202E}`). With
    /// `keepingLineBreaks`, line feeds and tabs stay as they are (for whole reports and messages); otherwise they
    /// are escaped too (for a value that must stay on its line, such as a table cell). The result holds no unsafe
    /// character, so escaping again changes nothing. Backslashes are left as they are.
    public static func escaped(_ s: String, keepingLineBreaks: Bool = false) -> String {
        guard mayBeUnsafe(s) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        for u in s.unicodeScalars {
            if keepingLineBreaks && (u == "\n" || u == "\t") {
                out.unicodeScalars.append(u)
            } else if isUnsafe(u) {
                out += visible(u)
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// A multi-line value under an indented label: escaped, with every line after the first indented by `indent`,
    /// so that no line of the value can pass for a line of the report.
    static func indented(_ s: String, _ indent: String) -> String {
        escaped(s, keepingLineBreaks: true).replacingOccurrences(of: "\n", with: "\n" + indent)
    }
}

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

/// Markdown text from untrusted values.
public enum MarkdownText {
    /// `s` as literal Markdown inline text, safe in a table cell: unsafe characters as `\u{HEX}` (line breaks
    /// become spaces), `&`, `<` and `>` as character references (no HTML, no autolinks), `\`, `` ` `` and `|`
    /// backslash-escaped (no escapes of ours undone, no code spans, no extra cells), and a `]` that could close a
    /// link or image — one followed by `(` or `[`, or the value's last — backslash-escaped, so that `[x](url)`,
    /// `![x](url)` and `[x][ref]` stay text. (A `[` alone, as in `tiers[2]`, makes no link: it is left as it is.)
    public static func text(_ s: String) -> String {
        guard s.utf8.contains(where: { b in
            b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xD8 || b == 0xE2 || b == 0x26 || b == 0x3C || b == 0x3E
                || b == 0x5C || b == 0x5D || b == 0x60 || b == 0x7C
        }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 8)
        var previousCR = false
        let scalars = Array(s.unicodeScalars)
        for (i, u) in scalars.enumerated() {
            defer { previousCR = u == "\r" }
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\\", "`", "|": out += "\\"; out.unicodeScalars.append(u)
            case "]" where i + 1 == scalars.count || scalars[i + 1] == "(" || scalars[i + 1] == "[": out += "\\]"
            case "\n" where previousCR: continue
            case "\n", "\r", "\u{2028}", "\u{2029}": out += " "
            default:
                if TerminalText.isUnsafe(u) { out += TerminalText.visible(u) } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// `s` as a code span: fenced with more backticks than any run inside it, pipes escaped for table cells,
    /// unsafe characters as `\u{HEX}` and line breaks as spaces. (Inside a code span nothing is markup.)
    public static func code(_ s: String) -> String {
        var body = ""
        var longest = 0, run = 0
        for u in s.unicodeScalars {
            run = u == "`" ? run + 1 : 0
            longest = max(longest, run)
            switch u {
            case "|": body += "\\|"
            case "\n", "\r", "\u{2028}", "\u{2029}": body += " "
            default:
                if TerminalText.isUnsafe(u) { body += TerminalText.visible(u) } else { body.unicodeScalars.append(u) }
            }
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = longest > 0 || body.hasPrefix(" ") ? " " : ""
        return fence + pad + body + pad + fence
    }
}
