/// Terminal display width: East Asian wide and fullwidth characters take two columns, combining marks none.
public enum TextWidth {
    public static func of(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars { w += width(u) }
        return w
    }

    static func width(_ u: Unicode.Scalar) -> Int {
        let v = u.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 { return 1 }
        switch u.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    public enum Alignment { case left, right }

    /// `s` cut to at most `width` display columns, with "…" when cut.
    public static func truncate(_ s: String, to width: Int) -> String {
        guard of(s) > width else { return s }
        var out = "", w = 0
        for ch in s {
            let cw = of(String(ch))
            if w + cw > width - 1 { break }
            out.append(ch)
            w += cw
        }
        return out + "…"
    }

    /// Pads `s` with spaces to `width` display columns.
    public static func pad(_ s: String, to width: Int, _ alignment: Alignment = .left) -> String {
        let fill = String(repeating: " ", count: Swift.max(0, width - of(s)))
        return alignment == .left ? s + fill : fill + s
    }

    /// Lays out rows as aligned columns separated by two spaces; trailing spaces trimmed. Every cell is escaped
    /// with `TerminalText.escaped` first (line breaks and tabs too), so that a cell stays on its row and no value
    /// drives the terminal.
    public static func table(_ rows: [[String]], alignments: [Alignment]) -> String {
        guard !rows.isEmpty else { return "" }
        let rows = rows.map { $0.map { TerminalText.escaped($0) } }
        let first = rows[0]
        var widths = [Int](repeating: 0, count: first.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = Swift.max(widths[i], of(cell)) } }
        return rows.map { row in
            var line = ""
            for (i, cell) in row.enumerated() {
                if i > 0 { line += "  " }
                line += pad(cell, to: widths[i], i < alignments.count ? alignments[i] : .left)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }
}
