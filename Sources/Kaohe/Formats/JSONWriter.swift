/// A small JSON writer that keeps fields in the order written (the order is part of our output contract)
/// and prints numbers exactly as given. Pretty-printed with two-space indents.
public struct JSONWriter: Sendable {
    /// The document so far, as UTF-8 bytes (a byte buffer: appending strings scalar by scalar was the cost of
    /// a large report).
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = [false]
    private var depth = 0

    /// The document so far.
    public var output: String { String(decoding: bytes, as: UTF8.self) }

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public static func quote(_ s: String) -> String {
        var w = JSONWriter()
        w.appendQuoted(s)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `s` as a JSON string: `"`, `\`, `\n`, `\r`, `\t` escaped, and every other control character, DEL, C1 and
    /// the bidi and line-separator characters (allowed, but they would act on a terminal showing the JSON) as
    /// `\uXXXX`, losslessly. Runs of plain bytes are copied whole.
    private mutating func appendQuoted(_ s: String) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { u in
            let n = u.count
            var run = 0, i = 0
            func flush(_ upTo: Int) {
                if upTo > run { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[run..<upTo])) }
            }
            while i < n {
                let b = u[i]
                // bytes that are never escaped: printable ASCII but for " and \, and UTF-8 lead and
                // continuation bytes that cannot start an unsafe character (C2: C1 controls, D8: U+061C, E2: U+2000–U+2FFF)
                if (b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C) || (b >= 0x80 && b != 0xC2 && b != 0xD8 && b != 0xE2) {
                    i += 1
                    continue
                }
                // a possibly escaped character: decode its scalar
                var len = 1, scalar = UInt32(b)
                if b >= 0xC0 && b < 0xE0 && i + 1 < n {
                    len = 2; scalar = (UInt32(b & 0x1F) << 6) | UInt32(u[i + 1] & 0x3F)
                } else if b >= 0xE0 && b < 0xF0 && i + 2 < n {
                    len = 3; scalar = (UInt32(b & 0x0F) << 12) | (UInt32(u[i + 1] & 0x3F) << 6) | UInt32(u[i + 2] & 0x3F)
                }
                let escape: [UInt8]?
                switch scalar {
                case 0x22: escape = [0x5C, 0x22]
                case 0x5C: escape = [0x5C, 0x5C]
                case 0x0A: escape = [0x5C, 0x6E]
                case 0x0D: escape = [0x5C, 0x72]
                case 0x09: escape = [0x5C, 0x74]
                default:
                    if let v = Unicode.Scalar(scalar), TerminalText.isUnsafe(v) {
                        escape = [0x5C, 0x75, Self.hexDigits[Int(scalar >> 12 & 0xF)], Self.hexDigits[Int(scalar >> 8 & 0xF)],
                                  Self.hexDigits[Int(scalar >> 4 & 0xF)], Self.hexDigits[Int(scalar & 0xF)]]
                    } else {
                        escape = nil
                    }
                }
                if let escape {
                    flush(i)
                    bytes.append(contentsOf: escape)
                    i += len
                    run = i
                } else {
                    i += len
                }
            }
            flush(n)
        }
        bytes.append(0x22)
    }

    /// "\n" and two spaces per level, made once per depth.
    private static let indents: [[UInt8]] = (0..<64).map { [0x0A] + [UInt8](repeating: 0x20, count: 2 * $0) }

    private mutating func newline(_ depth: Int) {
        if depth < Self.indents.count { bytes.append(contentsOf: Self.indents[depth]) }
        else { bytes.append(0x0A); bytes.append(contentsOf: [UInt8](repeating: 0x20, count: 2 * depth)) }
    }

    private mutating func separate() {
        if needsComma[depth] { bytes.append(0x2C) }
        needsComma[depth] = true
        if depth > 0 { newline(depth) }
    }

    public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }
    public mutating func string(_ s: String) { appendQuoted(s) }
    public mutating func number(_ p: Points) { bytes.append(contentsOf: p.description.utf8) }
    public mutating func number(_ n: Int) { bytes.append(contentsOf: String(n).utf8) }
    public mutating func optionalNumber(_ n: Double?) {
        if let n { bytes.append(contentsOf: JSONValue.numberText(n).utf8) } else { bytes.append(contentsOf: "null".utf8) }
    }

    public mutating func beginObject() { open(0x7B) }
    public mutating func endObject() { close(0x7D) }
    public mutating func beginArray() { open(0x5B) }
    public mutating func endArray() { close(0x5D) }

    private mutating func open(_ c: UInt8) {
        bytes.append(c)
        depth += 1
        if needsComma.count <= depth { needsComma.append(false) } else { needsComma[depth] = false }
    }

    private mutating func close(_ c: UInt8) {
        let hadItems = needsComma[depth]
        depth -= 1
        if hadItems { newline(depth) }
        bytes.append(c)
    }

    /// A writer for elements of the array (or fields of the object) this one has open, to be written apart
    /// (on another thread) and joined with `append(fragment:)`; `first`: whether its first element is the
    /// container's first (no comma before it).
    public func fragment(first: Bool) -> JSONWriter {
        var f = JSONWriter()
        f.depth = depth
        f.needsComma = [Bool](repeating: false, count: depth + 1)
        f.needsComma[depth] = !first
        return f
    }

    /// Joins a fragment made by `fragment(first:)`: its bytes, and the container now has elements.
    public mutating func append(fragment f: JSONWriter) {
        guard !f.bytes.isEmpty else { return }
        bytes.append(contentsOf: f.bytes)
        needsComma[depth] = true
    }

    public mutating func field(_ key: String, _ value: (inout JSONWriter) -> Void) {
        separate()
        appendQuoted(key)
        bytes.append(0x3A)
        bytes.append(0x20)
        value(&self)
    }
    public mutating func field(_ key: String, string: String?) {
        field(key) { w in if let string { w.string(string) } else { w.raw("null") } }
    }

    public mutating func element(_ value: (inout JSONWriter) -> Void) {
        separate()
        value(&self)
    }
}
