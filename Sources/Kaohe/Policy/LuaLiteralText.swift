/// Lua literals read from and written into a policy's text: numerals (decimal, hex, exponents), quoted and
/// long-bracket strings with their escapes, and the way a new value is written.
///
/// Writing a number: the shortest decimal that reads back as the same double (Swift's `description`), an
/// integral value without a fraction when the literal it replaces is an integer (`110`), and with `.0` when
/// that literal is a float (`1.0`), so that Lua keeps the subtype the author wrote. Writing a string: in
/// double quotes (or the literal's own single quotes), with `\\`, the quote, and control characters
/// escaped; every other character, Chinese included, as its UTF-8 bytes.
enum LuaLiteralText {
    /// Whether a numeral is a Lua integer: no '.', no exponent (hex: no 'p'), and within 64 bits.
    static func isInteger(_ s: String) -> Bool {
        let lower = s.lowercased()
        if lower.hasPrefix("0x") { return !lower.contains(".") && !lower.contains("p") }
        return !lower.contains(".") && !lower.contains("e") && Int64(lower) != nil
    }

    /// The value of a numeral (without sign), or nil when Lua would not read it.
    static func number(_ s: String) -> Double? {
        let lower = s.lowercased()
        if lower.hasPrefix("0x") {
            let digits = lower.dropFirst(2)
            if !digits.contains("."), !digits.contains("p") {
                // hex integers wrap around modulo 2^64, as in Lua
                var v: UInt64 = 0
                for c in digits {
                    guard let d = c.hexDigitValue else { return nil }
                    v = v &* 16 &+ UInt64(d)
                }
                return digits.isEmpty ? nil : Double(Int64(bitPattern: v))
            }
            return Double(lower.contains("p") ? lower : lower + "p0")
        }
        var t = lower
        if t.hasPrefix(".") { t = "0" + t }
        if let dot = t.firstIndex(of: "."), t.index(after: dot) == t.endIndex || !t[t.index(after: dot)].isNumber {
            t.insert("0", at: t.index(after: dot))
        }
        guard t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "e" || $0 == "+" || $0 == "-") }) else { return nil }
        return Double(t)
    }

    /// The value of a string literal's bytes (quotes or long brackets included), or nil when malformed.
    static func string(_ token: ArraySlice<UInt8>) -> String? {
        guard let open = token.first else { return nil }
        if open == 0x5B {
            // [==[ … ]==]: the bytes between, without a first line break
            var level = 0
            var k = token.startIndex + 1
            while k < token.endIndex, token[k] == 0x3D { level += 1; k += 1 }
            var body = token[(k + 1)..<(token.endIndex - level - 2)]
            if let c = body.first, c == 0x0A || c == 0x0D {
                body = body.dropFirst()
                if let d = body.first, d == 0x0A || d == 0x0D, d != c { body = body.dropFirst() }
            }
            return String(validating: body, as: UTF8.self)
        }
        var out: [UInt8] = []
        var k = token.startIndex + 1
        let end = token.endIndex - 1
        while k < end {
            let c = token[k]
            guard c == 0x5C else { out.append(c); k += 1; continue }
            k += 1
            guard k < end else { return nil }
            let e = token[k]
            k += 1
            switch e {
            case 0x6E: out.append(0x0A)  // \n
            case 0x74: out.append(0x09)  // \t
            case 0x72: out.append(0x0D)  // \r
            case 0x61: out.append(0x07)  // \a
            case 0x62: out.append(0x08)  // \b
            case 0x66: out.append(0x0C)  // \f
            case 0x76: out.append(0x0B)  // \v
            case 0x5C, 0x22, 0x27: out.append(e)
            case 0x0A, 0x0D:
                out.append(0x0A)
                if k < end, token[k] == 0x0A || token[k] == 0x0D, token[k] != e { k += 1 }
            case 0x7A:  // \z: skips the following white space
                while k < end, [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C].contains(token[k]) { k += 1 }
            case 0x78:  // \xXX
                guard k + 1 < end, let h = hex(token[k]), let l = hex(token[k + 1]) else { return nil }
                out.append(UInt8(h * 16 + l))
                k += 2
            case 0x75:  // \u{XXX}
                guard k < end, token[k] == 0x7B else { return nil }
                k += 1
                var v: UInt32 = 0
                while k < end, token[k] != 0x7D {
                    guard let d = hex(token[k]), v < 0x800_0000 else { return nil }
                    v = v * 16 + UInt32(d)
                    k += 1
                }
                guard k < end, let scalar = Unicode.Scalar(v) else { return nil }
                k += 1
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            case 0x30...0x39:  // \ddd
                var v = Int(e - 0x30)
                var digits = 1
                while digits < 3, k < end, token[k] >= 0x30, token[k] <= 0x39 {
                    v = v * 10 + Int(token[k] - 0x30)
                    k += 1
                    digits += 1
                }
                guard v <= 255 else { return nil }
                out.append(UInt8(v))
            default:
                return nil
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> Int? { Character(Unicode.Scalar(c)).hexDigitValue }

    /// `value` written as a Lua number in place of a literal that is an integer (`integer`) or a float;
    /// nil for infinities and NaN (JSON has neither).
    static func write(number value: Double, integer: Bool) -> String? {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 1e15 {
            let n = String(Int64(value))
            return integer ? n : n + ".0"
        }
        return "\(value)"
    }

    /// `value` as a Lua string literal in `quote` (0x22 or 0x27).
    static func write(string value: String, quote: UInt8 = 0x22) -> String {
        var out = [quote]
        for b in value.utf8 {
            switch b {
            case 0x5C: out += [0x5C, 0x5C]
            case quote: out += [0x5C, quote]
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0..<0x20, 0x7F: out += Array(String(format3(b)).utf8)
            default: out.append(b)
            }
        }
        out.append(quote)
        return String(decoding: out, as: UTF8.self)
    }

    /// `\ddd` with three digits (so that a digit after it is not read as part of it).
    private static func format3(_ b: UInt8) -> String {
        let s = String(b)
        return "\\" + String(repeating: "0", count: 3 - s.count) + s
    }
}
