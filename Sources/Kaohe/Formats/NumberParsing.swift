import Foundation

/// Parses decimal numbers as written in data files: "99.99", "-2", "1e3", "  120 ". Plain decimals with up
/// to 15 significant digits take an exact fast path (integer mantissa divided by a power of ten, which IEEE
/// division rounds correctly); anything else goes through strtod.
enum NumberParsing {
    private static let powers: [Double] = (0...22).map { pow(10, Double($0)) }

    /// A cell of at most 15 digits with an optional sign and point ("12", "-3", "97.69"), which `parse` reads
    /// exactly (Clinger's fast path: both parts exact in a Double, one rounding): its value, and whether it
    /// has no fraction digits. nil for anything else (parse and its checks decide).
    @inline(__always)
    static func plainDecimal(_ p: UnsafeBufferPointer<UInt8>) -> (Double, Bool)? {
        let n = p.count
        var i = 0
        var negative = false
        if n > 0 && p[0] == 0x2D { negative = true; i = 1 }
        var mantissa: Int64 = 0
        var digits = 0, fraction = 0
        var seenDot = false
        while i < n {
            let b = p[i]
            if b >= 0x30 && b <= 0x39 {
                if digits == 15 { return nil }
                mantissa = mantissa * 10 + Int64(b - 0x30)
                digits += 1
                if seenDot { fraction += 1 }
            } else if b == 0x2E && !seenDot {
                seenDot = true
            } else {
                return nil
            }
            i += 1
        }
        if digits == 0 || (seenDot && fraction == 0) { return nil }
        let v = Double(mantissa) / powers[fraction]
        return (negative ? -v : v, fraction == 0)
    }

    static func parse(_ p: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = p.count
        if n == 0 { return nil }
        var i = 0
        var negative = false
        if p[0] == 0x2D { negative = true; i = 1 } else if p[0] == 0x2B { i = 1 }
        var mantissa: Int64 = 0
        var digits = 0, fraction = 0
        var seenDot = false
        var fast = true
        while i < n {
            let b = p[i]
            if b >= 0x30 && b <= 0x39 {
                if digits < 15 {
                    mantissa = mantissa * 10 + Int64(b - 0x30)
                    digits += 1
                    if seenDot { fraction += 1 }
                } else {
                    fast = false
                    break
                }
            } else if b == 0x2E && !seenDot {
                seenDot = true
            } else {
                fast = false
                break
            }
            i += 1
        }
        if fast {
            let body = n - (p[0] == 0x2D || p[0] == 0x2B ? 1 : 0)
            if body == 0 || (seenDot && body == 1) { return nil }
            let v = Double(mantissa) / powers[fraction]
            return negative ? -v : v
        }
        return slow(p)
    }

    /// What to do about a cell that is not a number but looks like one as spreadsheets write them: a percent
    /// sign, thousands separators, full-width digits (typed with a Chinese input method), or a unit after the
    /// number. Empty when nothing is recognised.
    static func hint(_ p: UnsafeBufferPointer<UInt8>) -> String {
        let s = String(decoding: p, as: UTF8.self)
        let fullWidth = s.unicodeScalars.contains { (0xFF10...0xFF19).contains($0.value) || $0.value == 0xFF0E }
        if fullWidth {
            return "; it is written in full-width characters: type it as \(Suggestions.halfWidth(s))"
        }
        let numberPart = { (t: Substring) in
            t.utf8.count > 0 && Array(t.utf8).withUnsafeBufferPointer { parse($0) } != nil
        }
        if let last = s.last, last == "%" || last == "％", numberPart(s.dropLast()) {
            return "; write the number without the percent sign (\(s.dropLast()))"
        }
        if s.contains(","), numberPart(Substring(s.replacingOccurrences(of: ",", with: ""))) {
            return "; write it without thousands separators (\(s.replacingOccurrences(of: ",", with: "")))"
        }
        let digits = s.prefix { $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-" || $0 == "+") }
        if !digits.isEmpty, digits.count < s.count, numberPart(digits) {
            return "; write the number alone (\(digits)), without '\(s.dropFirst(digits.count).trimmingCharacters(in: .whitespaces))'"
        }
        return ""
    }

    /// The number part of a percentage written with its sign: "95%", "95 %", "95％" (full width) → "95"; nil
    /// when the text does not end with a percent sign or nothing comes before it.
    static func percentPart(_ p: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        var end = p.count
        if end >= 1 && p[end - 1] == 0x25 {
            end -= 1
        } else if end >= 3 && p[end - 3] == 0xEF && p[end - 2] == 0xBC && p[end - 1] == 0x85 {  // U+FF05 ％
            end -= 3
        } else {
            return nil
        }
        while end > 0 && (p[end - 1] == 0x20 || p[end - 1] == 0x09) { end -= 1 }
        guard end > 0 else { return nil }
        return UnsafeBufferPointer(rebasing: p[0..<end])
    }

    /// Significant digits in the mantissa of a decimal numeral ("0.00120" has 3).
    static func significantDigits(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var digits = 0, pendingZeros = 0
        var started = false
        for b in p {
            if b == 0x65 || b == 0x45 { break }
            guard b >= 0x30 && b <= 0x39 else { continue }
            if b == 0x30 {
                if started { pendingZeros += 1 }
            } else {
                started = true
                digits += pendingZeros + 1
                pendingZeros = 0
            }
        }
        return digits
    }

    private static func slow(_ p: UnsafeBufferPointer<UInt8>) -> Double? {
        var text = [CChar](repeating: 0, count: p.count + 1)
        for i in 0..<p.count {
            let b = p[i]
            // strtod also reads hex, "inf" and "nan"; data files mean none of those
            guard (b >= 0x30 && b <= 0x39) || b == 0x2E || b == 0x2D || b == 0x2B || b == 0x65 || b == 0x45 else { return nil }
            text[i] = CChar(bitPattern: b)
        }
        return text.withUnsafeBufferPointer { buf -> Double? in
            var end: UnsafeMutablePointer<CChar>?
            let v = strtod(buf.baseAddress!, &end)
            guard let end, end - UnsafeMutablePointer(mutating: buf.baseAddress!) == p.count, v.isFinite else { return nil }
            return v
        }
    }
}
