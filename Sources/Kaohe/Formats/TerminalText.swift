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
