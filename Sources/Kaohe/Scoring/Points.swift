/// A number of points, exact to six decimals (stored as millionths), so that totals print as the policy's
/// decimals add up (0.1 + 0.2 is 0.3) and the order of addition never changes a result.
public struct Points: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var micro: Int64

    public static let scale: Int64 = 1_000_000
    public static let zero = Points(micro: 0)

    public init(micro: Int64) { self.micro = micro }

    /// The largest magnitude of points kaohe keeps exactly: a rule's result, a cap, the base and a unit's
    /// self-check score must lie within ±10⁹. A total of up to 1,000 rules, the base and the section
    /// adjustments then stays far inside what six-decimal fixed point in 64 bits holds (±9.2 × 10¹²).
    public static let limit: Double = 1_000_000_000

    /// "between -1,000,000,000 and 1,000,000,000", for messages.
    public static let limitText = "between -1,000,000,000 and 1,000,000,000"

    /// The points for `value` rounded to six decimals, or nil when it is not a finite number within ±`limit`.
    public init?(checked value: Double) {
        guard value.isFinite, abs(value) <= Points.limit else { return nil }
        self.init(value)
    }

    /// Rounds a rule's result to six decimals (half away from zero). `value` must lie within ±`limit` (or
    /// have been checked to give a total in range); values from a policy or data go through `init(checked:)`.
    public init(_ value: Double) {
        micro = Int64((value * Double(Points.scale)).rounded(.toNearestOrAwayFromZero))
    }

    public init(integer: Int) { micro = Int64(integer) * Points.scale }

    public var doubleValue: Double { Double(micro) / Double(Points.scale) }

    public static func + (a: Points, b: Points) -> Points { Points(micro: a.micro + b.micro) }
    public static func - (a: Points, b: Points) -> Points { Points(micro: a.micro - b.micro) }
    public static func += (a: inout Points, b: Points) { a.micro += b.micro }
    public static func < (a: Points, b: Points) -> Bool { a.micro < b.micro }
    public static prefix func - (a: Points) -> Points { Points(micro: -a.micro) }

    /// "148", "97.5", "-0.25": the shortest exact decimal.
    public var description: String {
        let sign = micro < 0 ? "-" : ""
        let m = micro.magnitude
        let whole = m / UInt64(Points.scale), frac = m % UInt64(Points.scale)
        if frac == 0 { return "\(sign)\(whole)" }
        var digits = String(frac)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(whole).\(digits)"
    }

    /// With an explicit sign: "+2", "-7", "0".
    public var signed: String { micro > 0 ? "+" + description : description }

    /// `a + b`, or nil when the sum would leave what 64-bit millionths hold.
    public func adding(_ other: Points) -> Points? {
        let (sum, overflow) = micro.addingReportingOverflow(other.micro)
        return overflow ? nil : Points(micro: sum)
    }

    /// Rounded to `decimals` places (0–6) on the exact decimal value: `.halfUp` takes halves away from zero
    /// (四舍五入: 58.865 → 58.87), `.halfEven` to the even neighbour (58.865 → 58.86, 58.875 → 58.88).
    public func rounded(decimals: Int, _ rule: Policy.Total.Rounding) -> Points {
        precondition((0...6).contains(decimals))
        var unit: Int64 = 1
        for _ in decimals..<6 { unit *= 10 }
        let m = micro.magnitude, u = UInt64(unit)
        var q = m / u
        let r = m % u
        switch rule {
        case .halfUp: if r * 2 >= u { q += 1 }
        case .halfEven: if r * 2 > u || (r * 2 == u && q % 2 == 1) { q += 1 }
        }
        let v = Int64(q) * unit
        return Points(micro: micro < 0 ? -v : v)
    }

    /// With exactly `decimals` places (0–6): "92.30", "-0.50", "148". Digits past `decimals` are dropped,
    /// so round first.
    public func fixed(decimals: Int) -> String {
        let sign = micro < 0 ? "-" : ""
        let m = micro.magnitude
        let whole = m / UInt64(Points.scale), frac = m % UInt64(Points.scale)
        guard decimals > 0 else { return "\(sign)\(whole)" }
        var digits = String(frac)
        digits = String(repeating: "0", count: 6 - digits.count) + digits
        return "\(sign)\(whole).\(digits.prefix(decimals))"
    }

    /// `floor(fraction × n)` computed exactly from the fraction's decimal value.
    public static func floorFraction(_ fraction: Double, of n: Int) -> Int {
        let f = Points(fraction).micro
        return Int((f * Int64(n)) / Points.scale)
    }
}
