/// HTML goldens are stored in lines: kaohe writes long runs of tags on one line (a table is one line of
/// 14 KB), so one changed number would be one changed 14 KB line. Every `>` directly followed by `<` gets a
/// line break in between; a line break kaohe itself wrote between two tags is kept and gets one more, so it
/// shows as an empty line. That makes the split reversible: `joined(split(html)) == html` for every text, and
/// two outputs that differ only in a line break between tags still differ.
public enum HTMLLines {
    /// `html` with a line break added in every run of line breaks between a `>` and a `<` (none makes one).
    public static func split(_ html: String) -> String { rewrite(html, by: 1) }

    /// The inverse of `split`: one line break fewer between each `>` and `<`.
    public static func joined(_ lines: String) -> String { rewrite(lines, by: -1) }

    private static func rewrite(_ text: String, by delta: Int) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 16)
        var i = 0
        while i < bytes.count {
            out.append(bytes[i])
            guard bytes[i] == UInt8(ascii: ">") else { i += 1; continue }
            var j = i + 1
            while j < bytes.count, bytes[j] == UInt8(ascii: "\n") { j += 1 }
            let breaks = j - i - 1
            if j < bytes.count, bytes[j] == UInt8(ascii: "<"), breaks + delta >= 0 {
                out.append(contentsOf: [UInt8](repeating: UInt8(ascii: "\n"), count: breaks + delta))
                i = j
            } else {
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
