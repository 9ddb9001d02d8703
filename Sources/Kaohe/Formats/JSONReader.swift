import Foundation

/// A small JSON parser that keeps the line and column of every value, so that a bad record in a
/// `--data FILE.json` is reported as `file:line:column`. (Foundation's JSONSerialization gives no positions.)
struct JSONReader {
    indirect enum Value {
        case null
        case bool(Bool)
        case number(Double, text: String)
        case string(String)
        case array([Node])
        case object([(key: String, node: Node)])
    }

    struct Node {
        var value: Value
        var line: Int
        var column: Int
    }

    struct Problem: Error {
        var line: Int
        var column: Int
        var message: String
    }

    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0

    static func parse(_ bytes: [UInt8]) throws(Problem) -> Node {
        var r = JSONReader(bytes: bytes)
        r.skipSpace()
        let node = try r.value()
        r.skipSpace()
        if r.i < bytes.count { throw r.problem("unexpected text after the JSON value") }
        return node
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var column: Int {
        var chars = 0
        var k = lineStart
        while k < i { if bytes[k] & 0xC0 != 0x80 { chars += 1 }; k += 1 }
        return chars + 1
    }

    private func problem(_ message: String) -> Problem { Problem(line: line, column: column, message: message) }

    private mutating func skipSpace() {
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0A { line += 1; lineStart = i + 1 } else if b != 0x20 && b != 0x09 && b != 0x0D { return }
            i += 1
        }
    }

    private mutating func value() throws(Problem) -> Node {
        guard i < bytes.count else { throw problem("unexpected end of file") }
        let l = line, c = column
        switch bytes[i] {
        case UInt8(ascii: "{"):
            depth += 1
            if depth > 64 { throw problem("nesting too deep") }
            i += 1
            var fields: [(String, Node)] = []
            var seen: Set<String> = []
            skipSpace()
            if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; depth -= 1; return Node(value: .object([]), line: l, column: c) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw problem("expected a field name in quotes") }
                let keyStart = i
                let key = try string()
                // JSON readers disagree on which of two equal keys wins; kaohe scores nothing it has to guess
                guard seen.insert(key).inserted else {
                    i = keyStart
                    throw problem("field '\(key)' appears twice in this object; keep one")
                }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw problem("expected ':' after the field name") }
                i += 1
                skipSpace()
                fields.append((key, try value()))
                skipSpace()
                guard i < bytes.count else { throw problem("unexpected end of file inside an object") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                throw problem("expected ',' or '}'")
            }
            depth -= 1
            return Node(value: .object(fields.map { (key: $0.0, node: $0.1) }), line: l, column: c)
        case UInt8(ascii: "["):
            depth += 1
            if depth > 64 { throw problem("nesting too deep") }
            i += 1
            var items: [Node] = []
            skipSpace()
            if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; depth -= 1; return Node(value: .array([]), line: l, column: c) }
            while true {
                skipSpace()
                items.append(try value())
                skipSpace()
                guard i < bytes.count else { throw problem("unexpected end of file inside an array") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; break }
                throw problem("expected ',' or ']'")
            }
            depth -= 1
            return Node(value: .array(items), line: l, column: c)
        case UInt8(ascii: "\""):
            return Node(value: .string(try string()), line: l, column: c)
        case UInt8(ascii: "t"): try literal("true"); return Node(value: .bool(true), line: l, column: c)
        case UInt8(ascii: "f"): try literal("false"); return Node(value: .bool(false), line: l, column: c)
        case UInt8(ascii: "n"): try literal("null"); return Node(value: .null, line: l, column: c)
        default:
            let start = i
            while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
            let ok = bytes[start..<i].withUnsafeBufferPointer { NumberParsing.parse($0) }
            guard i > start else { throw problem("expected a JSON value") }
            guard let v = ok else {
                let text = String(decoding: bytes[start..<i], as: UTF8.self)
                i = start
                throw problem("'\(text)' is not a number kaohe can read (malformed, or too large)")
            }
            return Node(value: .number(v, text: String(decoding: bytes[start..<i], as: UTF8.self)), line: l, column: c)
        }
    }

    private mutating func literal(_ word: String) throws(Problem) {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { throw problem("expected a JSON value") }
        i += w.count
    }

    private mutating func string() throws(Problem) -> String {
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
            if b == 0x0A { throw problem("a string may not contain a line break (write \\n)") }
            if b == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.count else { break }
                switch bytes[i] {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\"),
                       bytes[i + 2] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8))
                default: out.append(bytes[i])
                }
                i += 1
                continue
            }
            out.append(b)
            i += 1
        }
        throw problem("a string is never closed")
    }

    private mutating func hex4() throws(Problem) -> UInt32 {
        guard i + 4 < bytes.count, let v = UInt32(String(decoding: bytes[i + 1...i + 4], as: UTF8.self), radix: 16) else {
            throw problem("bad \\u escape")
        }
        i += 4
        return v
    }
}
