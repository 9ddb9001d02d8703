import Foundation

/// Parses decimal numbers as written in data files: "99.99", "-2", "1e3", "  120 ". Plain decimals with up
/// to 15 significant digits take an exact fast path (integer mantissa divided by a power of ten, which IEEE
/// division rounds correctly); anything else goes through strtod.
enum NumberParsing {
    private static let powers: [Double] = (0...22).map { pow(10, Double($0)) }

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
