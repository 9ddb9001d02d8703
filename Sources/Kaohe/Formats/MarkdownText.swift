import Foundation

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
