/// A Lua 5.4 tokenizer for what `PolicySource` needs to find in a policy's text: names, numbers, strings
/// (quoted and long brackets `[[ ]]`, `[==[ ]==]`), punctuation, with comments (`--`, `--[[ ]]`) skipped and
/// every token's byte range and line. It does not evaluate anything; it only has to agree with Lua on where
/// each token starts and ends.
struct LuaToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case name, number, string, punct, eof
    }
    var kind: Kind
    /// The token's bytes in the source: `start..<end`.
    var start: Int
    var end: Int
    /// 1-based line of the first byte (Lua's counting: "\r\n", "\n\r", "\n" and "\r" each end one line).
    var line: Int
}

struct LuaTokenizer {
    /// Why the text cannot be tokenized, and where.
    struct Failure: Error, Sendable, Equatable {
        var message: String
        var line: Int
        var offset: Int
    }

    let bytes: [UInt8]
    private var i = 0
    private var line = 1

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// All tokens, ending with one `.eof`.
    static func tokens(_ bytes: [UInt8]) throws(Failure) -> [LuaToken] {
        var t = LuaTokenizer(bytes)
        var out: [LuaToken] = []
        while true {
            let token = try t.next()
            out.append(token)
            if token.kind == .eof { return out }
        }
    }

    private func at(_ k: Int) -> UInt8 { k < bytes.count ? bytes[k] : 0 }

    private static func isNameStart(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46) }
    private static func isNewline(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D }

    /// Skips one line break at `i` ("\r\n" and "\n\r" count once) and counts it.
    private mutating func newline() {
        let c = bytes[i]
        i += 1
        if i < bytes.count, LuaTokenizer.isNewline(bytes[i]), bytes[i] != c { i += 1 }
        line += 1
    }

    private mutating func next() throws(Failure) -> LuaToken {
        while i < bytes.count {
            let c = bytes[i]
            if LuaTokenizer.isNewline(c) { newline(); continue }
            if c == 0x20 || c == 0x09 || c == 0x0B || c == 0x0C { i += 1; continue }
            if c == 0x2D, at(i + 1) == 0x2D {  // --
                i += 2
                if let level = longBracketLevel(at: i) {
                    try skipLongBracket(level: level, what: "comment")
                } else {
                    while i < bytes.count, !LuaTokenizer.isNewline(bytes[i]) { i += 1 }
                }
                continue
            }
            break
        }
        let start = i, startLine = line
        func token(_ kind: LuaToken.Kind) -> LuaToken { LuaToken(kind: kind, start: start, end: i, line: startLine) }
        guard i < bytes.count else { return token(.eof) }
        let c = bytes[i]
        if LuaTokenizer.isNameStart(c) {
            while i < bytes.count, LuaTokenizer.isNameStart(bytes[i]) || LuaTokenizer.isDigit(bytes[i]) { i += 1 }
            return token(.name)
        }
        if LuaTokenizer.isDigit(c) || (c == 0x2E && LuaTokenizer.isDigit(at(i + 1))) {
            scanNumber()
            return token(.number)
        }
        if c == 0x22 || c == 0x27 {
            try scanQuoted(c)
            return token(.string)
        }
        if c == 0x5B, let level = longBracketLevel(at: i) {
            try skipLongBracket(level: level, what: "string")
            return token(.string)
        }
        if c >= 0x80 {
            throw Failure(message: "unexpected byte 0x\(String(c, radix: 16)) outside a string or comment", line: line, offset: i)
        }
        // punctuation: the longest of Lua's operators that starts here
        let three: [[UInt8]] = [Array("...".utf8)]
        let two: [[UInt8]] = ["==", "~=", "<=", ">=", "//", "::", "<<", ">>", ".."].map { Array($0.utf8) }
        if three.contains(where: { matches($0) }) { i += 3 } else if two.contains(where: { matches($0) }) { i += 2 } else { i += 1 }
        return token(.punct)
    }

    private func matches(_ s: [UInt8]) -> Bool {
        i + s.count <= bytes.count && bytes[i..<(i + s.count)].elementsEqual(s)
    }

    /// `[`, `=`×level, `[` at `k`: the level; nil when no long bracket opens there.
    private func longBracketLevel(at k: Int) -> Int? {
        guard at(k) == 0x5B else { return nil }
        var j = k + 1
        while at(j) == 0x3D { j += 1 }
        return at(j) == 0x5B ? j - k - 1 : nil
    }

    private mutating func skipLongBracket(level: Int, what: String) throws(Failure) {
        let openLine = line
        i += level + 2
        while i < bytes.count {
            let c = bytes[i]
            if LuaTokenizer.isNewline(c) { newline(); continue }
            if c == 0x5D {
                var j = i + 1
                while at(j) == 0x3D { j += 1 }
                if at(j) == 0x5D, j - i - 1 == level { i = j + 1; return }
            }
            i += 1
        }
        throw Failure(message: "unfinished long \(what) (starting at line \(openLine))", line: openLine, offset: i)
    }

    private mutating func scanQuoted(_ quote: UInt8) throws(Failure) {
        let openLine = line
        i += 1
        while i < bytes.count {
            let c = bytes[i]
            if c == quote { i += 1; return }
            if LuaTokenizer.isNewline(c) { break }
            if c == 0x5C {  // backslash: the escaped character (a line break, or \z's run of spaces, included)
                i += 1
                guard i < bytes.count else { break }
                if LuaTokenizer.isNewline(bytes[i]) { newline(); continue }
                if bytes[i] == 0x7A {
                    i += 1
                    while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || LuaTokenizer.isNewline(bytes[i]) {
                        if LuaTokenizer.isNewline(bytes[i]) { newline() } else { i += 1 }
                    }
                    continue
                }
            }
            i += 1
        }
        throw Failure(message: "unfinished string", line: openLine, offset: i)
    }

    /// A numeral as Lua's lexer reads it: digits, '.', exponent marks with their sign, and hex digits.
    private mutating func scanNumber() {
        var exponent: [UInt8] = [0x45, 0x65]  // E e
        if bytes[i] == 0x30, at(i + 1) == 0x78 || at(i + 1) == 0x58 {
            exponent = [0x50, 0x70]  // P p
            i += 2
        }
        while i < bytes.count {
            let c = bytes[i]
            if exponent.contains(c), at(i + 1) == 0x2B || at(i + 1) == 0x2D { i += 2; continue }
            if LuaTokenizer.isHex(c) || c == 0x2E || LuaTokenizer.isNameStart(c) { i += 1; continue }
            break
        }
    }
}
