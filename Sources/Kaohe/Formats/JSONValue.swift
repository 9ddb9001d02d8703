/// A JSON value, as policies describe their params. Decodes from the sandbox's description and prints
/// deterministically (object keys sorted).
public indirect enum JSONValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Compact text: numbers as exact decimals, strings as-is (no quotes) when `bare`.
    public func text(bare: Bool = true) -> String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return JSONValue.numberText(n)
        case .string(let s): return bare ? s : JSONWriter.quote(s)
        case .array(let a): return "[" + a.map { $0.text(bare: false) }.joined(separator: ", ") + "]"
        case .object(let o):
            return "{" + o.keys.sorted().map { "\($0) = \(o[$0]!.text(bare: false))" }.joined(separator: ", ") + "}"
        }
    }

    static func numberText(_ n: Double) -> String {
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        if let p = Points(checked: n) { return p.description }
        return n.isFinite ? "\(n)" : (n.isNaN ? "nan" : (n < 0 ? "-inf" : "inf"))
    }

    /// Writes the value as JSON.
    public func write(to w: inout JSONWriter) {
        switch self {
        case .null: w.raw("null")
        case .bool(let b): w.raw(b ? "true" : "false")
        case .number(let n): w.raw(JSONValue.numberText(n))
        case .string(let s): w.string(s)
        case .array(let a):
            w.beginArray()
            for v in a { w.element { v.write(to: &$0) } }
            w.endArray()
        case .object(let o):
            w.beginObject()
            for k in o.keys.sorted() { w.field(k) { o[k]!.write(to: &$0) } }
            w.endObject()
        }
    }
}
