/// A number of points, exact to six decimals (stored as millionths), so that totals print as the policy's
/// decimals add up (0.1 + 0.2 is 0.3) and the order of addition never changes a result.
public struct Points: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var micro: Int64

    public static let scale: Int64 = 1_000_000
    public static let zero = Points(micro: 0)

    public init(micro: Int64) { self.micro = micro }

    /// Rounds a rule's result to six decimals (half away from zero).
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

    /// `floor(fraction × n)` computed exactly from the fraction's decimal value.
    public static func floorFraction(_ fraction: Double, of n: Int) -> Int {
        let f = Points(fraction).micro
        return Int((f * Int64(n)) / Points.scale)
    }
}
