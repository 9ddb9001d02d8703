/// A small JSON writer that keeps fields in the order written (the order is part of our output contract)
/// and prints numbers exactly as given. Pretty-printed with two-space indents.
public struct JSONWriter {
    public private(set) var output = ""
    private var needsComma: [Bool] = [false]
    private var depth = 0

    public init() {}

    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                // control characters (not allowed raw in JSON), and DEL, C1 and the bidi and line-separator
                // characters (allowed, but they would act on a terminal showing the JSON): \uXXXX, losslessly
                if TerminalText.isUnsafe(u) {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    private mutating func separate() {
        if needsComma[depth] { output += "," }
        needsComma[depth] = true
        if depth > 0 { output += "\n" + String(repeating: "  ", count: depth) }
    }

    public mutating func raw(_ text: String) { output += text }
    public mutating func string(_ s: String) { output += JSONWriter.quote(s) }
    public mutating func number(_ p: Points) { output += p.description }
    public mutating func number(_ n: Int) { output += String(n) }
    public mutating func optionalNumber(_ n: Double?) {
        if let n { output += JSONValue.numberText(n) } else { output += "null" }
    }

    public mutating func beginObject() { open("{") }
    public mutating func endObject() { close("}") }
    public mutating func beginArray() { open("[") }
    public mutating func endArray() { close("]") }

    private mutating func open(_ c: String) {
        output += c
        depth += 1
        if needsComma.count <= depth { needsComma.append(false) } else { needsComma[depth] = false }
    }

    private mutating func close(_ c: String) {
        let hadItems = needsComma[depth]
        depth -= 1
        if hadItems { output += "\n" + String(repeating: "  ", count: depth) }
        output += c
    }

    public mutating func field(_ key: String, _ value: (inout JSONWriter) -> Void) {
        separate()
        output += JSONWriter.quote(key) + ": "
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
