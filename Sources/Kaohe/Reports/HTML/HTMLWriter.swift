import Foundation

/// Builds HTML and inline SVG text. Every text and attribute value goes through `escape`, elements close in
/// the order they opened, and void elements are self-closed, so the output is well-formed XML as well as HTML5
/// (the tests parse it as XML). Policy titles and notes are written by untrusted policy code: nothing a
/// policy returns is ever written unescaped.
///
/// Hand-written rather than JohnSundell/Plot: Plot has no SVG vocabulary (every chart element would be a
/// custom node) and its deeply nested generic DSL is slow to compile; the templating engines (Stencil,
/// swift-mustache) would move layout into resource files while every chart still needs its geometry computed
/// in Swift. What is security-relevant here is escaping, which is small and tested.
public struct HTMLWriter {
    public typealias Attributes = [(String, String)]

    public private(set) var output = ""
    private var stack: [String] = []

    public init() {}

    /// `&`, `<`, `>`, `"` and `'` as character references; the characters `TerminalText.isUnsafe` names
    /// (controls other than tab and line breaks, which XML cannot hold, DEL, C1, bidi overrides and isolates,
    /// U+2028/U+2029) shown visibly as `\u{HEX}`, as in text output; U+FFFE and U+FFFF dropped.
    public static func escape(_ s: String) -> String {
        // most text needs nothing: one pass over the bytes decides (BF BE / BF BF: the ends of U+FFFE, U+FFFF;
        // C2, D8 and E2 start C1 controls and the bidi and separator characters)
        var plain = true, previous: UInt8 = 0
        for b in s.utf8 {
            if b < 0x20 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 || b == 0x7F
                || b == 0xC2 || b == 0xD8 || b == 0xE2 || (previous == 0xBF && (b == 0xBE || b == 0xBF)) {
                plain = false
                break
            }
            previous = b
        }
        if plain { return s }
        // on the bytes: runs that need nothing are copied whole; a character is decoded only where its lead byte
        // may start one that is replaced (ASCII specials, C2, D8, E2, and EF for U+FFFE/U+FFFF)
        var text = s
        return text.withUTF8 { p -> String in
            var out: [UInt8] = []
            out.reserveCapacity(p.count + 32)
            var i = 0, run = 0
            func replace(_ length: Int, with replacement: String) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[run..<i]))
                out.append(contentsOf: replacement.utf8)
                i += length
                run = i
            }
            while i < p.count {
                let b = p[i]
                switch b {
                case 0x26: replace(1, with: "&amp;")
                case 0x3C: replace(1, with: "&lt;")
                case 0x3E: replace(1, with: "&gt;")
                case 0x22: replace(1, with: "&quot;")
                case 0x27: replace(1, with: "&#39;")
                case 0x09, 0x0A, 0x0D: i += 1
                case 0..<0x20, 0x7F: replace(1, with: TerminalText.visible(Unicode.Scalar(b)))
                case 0xC2, 0xD8:
                    let v = UInt32(b & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F)
                    if TerminalText.isUnsafe(Unicode.Scalar(v)!) { replace(2, with: TerminalText.visible(Unicode.Scalar(v)!)) } else { i += 2 }
                case 0xE2, 0xEF:
                    let v = UInt32(b & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F)
                    if v == 0xFFFE || v == 0xFFFF { replace(3, with: "") }
                    else if TerminalText.isUnsafe(Unicode.Scalar(v)!) { replace(3, with: TerminalText.visible(Unicode.Scalar(v)!)) }
                    else { i += 3 }
                default: i += 1
                }
            }
            if run == 0 { return s }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[run..<p.count]))
            return String(decoding: out, as: UTF8.self)
        }
    }

    private mutating func tag(_ name: String, _ attributes: Attributes, close: Bool) {
        // piece by piece into the output: no temporary string per tag or attribute (a bulletin has millions)
        output += "<"
        output += name
        for (key, value) in attributes {
            output += " "
            output += key
            output += "=\""
            output += HTMLWriter.escape(value)
            output += "\""
        }
        output += close ? "/>" : ">"
    }

    /// Appends what another writer wrote: whole elements (every one it opened is closed).
    public mutating func append(_ other: HTMLWriter) {
        precondition(other.stack.isEmpty, "a part with open elements")
        output += other.output
    }

    /// Opens an element; `end()` closes it.
    public mutating func start(_ name: String, _ attributes: Attributes = []) {
        tag(name, attributes, close: false)
        stack.append(name)
    }

    public mutating func end() {
        output += "</"
        output += stack.removeLast()
        output += ">"
    }

    /// An element with children written by `body`.
    public mutating func element(_ name: String, _ attributes: Attributes = [], _ body: (inout HTMLWriter) -> Void) {
        start(name, attributes)
        body(&self)
        end()
    }

    /// An element holding text.
    public mutating func element(_ name: String, _ attributes: Attributes = [], text: String) {
        start(name, attributes)
        self.text(text)
        end()
    }

    /// A void element (`<meta/>`, `<br/>`) or an empty SVG shape.
    public mutating func empty(_ name: String, _ attributes: Attributes = []) {
        tag(name, attributes, close: true)
    }

    public mutating func text(_ s: String) { output += HTMLWriter.escape(s) }

    /// A line break in the source, for readable output and small diffs of the goldens.
    public mutating func newline() { output += "\n" }

    /// Trusted text from kaohe itself (the stylesheet); never policy or data text.
    public mutating func trusted(_ s: String) { output += s }

    /// A coordinate or length for SVG: at most one decimal, "12", "12.5", "-3".
    static func number(_ x: Double) -> String {
        let r = (x * 10).rounded() / 10
        if r == r.rounded() { return String(Int(r)) }
        return String(format: "%.1f", r)
    }

    /// The `id` of a unit's notice or row: "unit-" and the unit id, with characters that are not ASCII
    /// letters, digits, `-`, `_`, `.` or non-ASCII written as `~XX` (so distinct ids stay distinct).
    public static func anchor(unit id: String) -> String { anchor("unit-", id) }

    /// The `id` of a rule's row on the diff page: "rule-" and the rule id, escaped as unit ids are.
    static func anchor(rule id: String) -> String { anchor("rule-", id) }

    /// The `id` of a group's section on the bulletin: "group-" and the group id, escaped as unit ids are.
    static func anchor(group id: String) -> String { anchor("group-", id) }

    private static func anchor(_ prefix: String, _ id: String) -> String {
        var out = prefix
        for u in id.unicodeScalars {
            if u.isASCII && !(u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "-" || u == "_" || u == ".") {
                out += String(format: "~%02X", u.value)
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// A whole page: doctype, head with the stylesheet (and `extraStyle`, trusted CSS of kaohe's own), and
    /// the body written by `body`.
    public static func document(title: String, lang: String, extraStyle: String = "", _ body: (inout HTMLWriter) -> Void) -> String {
        var w = HTMLWriter()
        w.trusted("<!DOCTYPE html>\n")
        w.start("html", [("lang", lang)])
        w.newline()
        w.element("head") { w in
            w.empty("meta", [("charset", "utf-8")])
            w.empty("meta", [("name", "viewport"), ("content", "width=device-width, initial-scale=1")])
            w.empty("meta", [("name", "generator"), ("content", "kaohe")])
            w.element("title", text: title)
            w.element("style") { $0.trusted(HTMLStyle.css + extraStyle) }
        }
        w.newline()
        w.element("body") { w in body(&w) }
        w.newline()
        w.end()
        w.newline()
        return w.output
    }
}
