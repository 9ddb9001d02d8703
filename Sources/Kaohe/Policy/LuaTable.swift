/// A Lua table constructor as written in a policy's text: its fields in order, each with its key (a name,
/// a `["string"]` or `[integer]`, or none for a positional item) and its value — a nested constructor, one
/// literal, or anything else (an expression, a function, a variable), kept only as the tokens it spans.
struct LuaTable: Sendable {
    enum Key: Sendable, Equatable {
        case name(String)
        case index(Int)
        /// `[expr] = …` with a key that is not a literal string or integer.
        case computed
    }

    enum Value: Sendable {
        case table(LuaTable)
        case literal(LuaLiteral)
        /// Not a constructor nor a single literal: the first and last token (inclusive).
        case other(first: LuaToken, last: LuaToken)
    }

    struct Field: Sendable {
        /// nil for a positional item.
        var key: Key?
        /// The position of a positional item (1, 2, …); nil for a keyed field.
        var position: Int?
        var value: Value
        /// The field's first token (its key, or its value for a positional item).
        var first: LuaToken
    }

    var fields: [Field]
    /// The `{` token.
    var open: LuaToken

    /// The fields that `component` names: `.name(k)` matches `k = …` and `["k"] = …`, `.index(n)` the n-th
    /// positional item and `[n] = …`.
    func fields(matching component: ParamPath.Component) -> [Field] {
        fields.filter { f in
            switch component {
            case .key(let k): return f.key == .name(k)
            case .index(let n): return f.position == n || f.key == .index(n)
            }
        }
    }
}

/// A literal value in the source: a number (with its unary minus), a string, or true/false.
struct LuaLiteral: Sendable {
    enum Kind: String, Sendable { case number, string, boolean }
    var kind: Kind
    /// The literal's bytes (from the minus sign of a negative number): `start..<end`.
    var start: Int
    var end: Int
    var line: Int
    /// Whether a number is written as an integer (no '.', no exponent, not hex float): Lua keeps its subtype.
    var integer: Bool
}

/// Parses table constructors (and skips any other expression) from a token list.
struct LuaTableParser {
    struct Failure: Error, Sendable {
        var message: String
        var token: LuaToken
    }

    let tokens: [LuaToken]
    let bytes: [UInt8]

    func text(_ t: LuaToken) -> String { String(decoding: bytes[t.start..<t.end], as: UTF8.self) }
    func isPunct(_ t: LuaToken, _ s: String) -> Bool { t.kind == .punct && text(t) == s }
    func isName(_ t: LuaToken, _ s: String) -> Bool { t.kind == .name && text(t) == s }

    /// The constructor the chunk returns: its last statement at block level 0 must be `return { … }`
    /// (optionally followed by ';').
    func returnedTable() throws(Failure) -> LuaTable {
        var depth = 0
        var lastReturn: Int?
        for (k, t) in tokens.enumerated() where t.kind == .name {
            switch text(t) {
            case "function", "do", "if", "repeat": depth += 1
            case "end", "until": depth -= 1
            case "return" where depth == 0: lastReturn = k
            default: break
            }
        }
        guard let r = lastReturn, tokens[r + 1].kind == .punct, isPunct(tokens[r + 1], "{") else {
            throw Failure(message: "the policy does not end with `return { … }`; kaohe edits only a policy whose table is written "
                          + "in place after `return`", token: lastReturn.map { tokens[$0] } ?? tokens[0])
        }
        var k = r + 1
        let table = try parseTable(&k)
        if isPunct(tokens[k], ";") { k += 1 }
        guard tokens[k].kind == .eof else {
            throw Failure(message: "unexpected '\(text(tokens[k]))' after the returned table", token: tokens[k])
        }
        return table
    }

    /// The constructor starting at `tokens[k]` (`{`); `k` ends after its `}`.
    func parseTable(_ k: inout Int) throws(Failure) -> LuaTable {
        let open = tokens[k]
        k += 1
        var fields: [LuaTable.Field] = []
        var position = 0
        while !isPunct(tokens[k], "}") {
            let first = tokens[k]
            guard first.kind != .eof else { throw Failure(message: "unclosed '{'", token: open) }
            var key: LuaTable.Key?
            if isPunct(first, "["), let close = closing(from: k) {
                // [key] = value
                let inner = tokens[(k + 1)..<close]
                if inner.count == 1, let t = inner.first, t.kind == .string, let s = LuaLiteralText.string(bytes[t.start..<t.end]) {
                    key = .name(s)
                } else if inner.count == 1, let t = inner.first, t.kind == .number, let n = Int(text(t)) {
                    key = .index(n)
                } else {
                    key = .computed
                }
                k = close + 1
                guard isPunct(tokens[k], "=") else { throw Failure(message: "'=' expected after ']'", token: tokens[k]) }
                k += 1
            } else if first.kind == .name, isPunct(tokens[k + 1], "=") {
                key = .name(text(first))
                k += 2
            }
            var field = LuaTable.Field(key: key, position: nil, value: try parseValue(&k), first: first)
            if key == nil {
                position += 1
                field.position = position
            }
            fields.append(field)
            if isPunct(tokens[k], ",") || isPunct(tokens[k], ";") { k += 1 } else if !isPunct(tokens[k], "}") {
                throw Failure(message: "',' or '}' expected, found '\(text(tokens[k]))'", token: tokens[k])
            }
        }
        k += 1
        return LuaTable(fields: fields, open: open)
    }

    /// The index of the `]` that closes the `[` at `k` (nesting counted), or nil.
    private func closing(from k: Int) -> Int? {
        var depth = 0
        for j in k..<tokens.count {
            if tokens[j].kind == .eof { return nil }
            if tokens[j].kind == .punct {
                switch text(tokens[j]) {
                case "[", "(", "{": depth += 1
                case "]", ")", "}":
                    depth -= 1
                    if depth == 0 { return isPunct(tokens[j], "]") ? j : nil }
                default: break
                }
            }
        }
        return nil
    }

    /// One field's value; `k` ends at the ',' ';' or '}' after it.
    private func parseValue(_ k: inout Int) throws(Failure) -> LuaTable.Value {
        let start = k
        if isPunct(tokens[k], "{") {
            let table = try parseTable(&k)
            if ends(at: k) { return .table(table) }
        } else if let literal = literal(at: k), ends(at: k + literal.tokenCount) {
            k += literal.tokenCount
            return .literal(literal.value)
        }
        // anything else: skip to the separator at this level (brackets and blocks counted)
        k = start
        var brackets = 0, blocks = 0
        while true {
            let t = tokens[k]
            if t.kind == .eof { throw Failure(message: "unclosed '{'", token: tokens[start]) }
            if brackets == 0, blocks == 0, ends(at: k), k > start { break }
            if t.kind == .punct {
                switch text(t) {
                case "(", "[", "{": brackets += 1
                case ")", "]", "}": brackets -= 1
                default: break
                }
            } else if t.kind == .name {
                switch text(t) {
                case "function", "do", "if", "repeat": blocks += 1
                case "end", "until": blocks -= 1
                default: break
                }
            }
            k += 1
        }
        return .other(first: tokens[start], last: tokens[k - 1])
    }

    private func ends(at k: Int) -> Bool { isPunct(tokens[k], ",") || isPunct(tokens[k], ";") || isPunct(tokens[k], "}") }

    /// A literal starting at `k`: a number (after an optional '-'), a string, true or false.
    private func literal(at k: Int) -> (value: LuaLiteral, tokenCount: Int)? {
        let t = tokens[k]
        switch t.kind {
        case .number:
            return (LuaLiteral(kind: .number, start: t.start, end: t.end, line: t.line, integer: LuaLiteralText.isInteger(text(t))), 1)
        case .string:
            return (LuaLiteral(kind: .string, start: t.start, end: t.end, line: t.line, integer: false), 1)
        case .name where text(t) == "true" || text(t) == "false":
            return (LuaLiteral(kind: .boolean, start: t.start, end: t.end, line: t.line, integer: false), 1)
        case .punct where text(t) == "-" && tokens[k + 1].kind == .number:
            let n = tokens[k + 1]
            return (LuaLiteral(kind: .number, start: t.start, end: n.end, line: t.line, integer: LuaLiteralText.isInteger(text(n))), 2)
        default:
            return nil
        }
    }
}
