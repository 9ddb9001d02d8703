import Foundation

/// Pieces shared by the charts: a linear scale, round tick values, the SVG root, and the rule palette.
enum SVGChart {
    /// Maps a value domain onto a pixel range.
    struct Scale {
        var lo: Double, hi: Double, start: Double, end: Double

        func callAsFunction(_ v: Double) -> Double {
            hi == lo ? start : start + (v - lo) / (hi - lo) * (end - start)
        }
    }

    /// Round tick values (1, 2 or 5 × 10ⁿ apart) covering `lo...hi`, about `count` of them.
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 6) -> [Double] {
        guard hi > lo else { return [lo] }
        let raw = (hi - lo) / Double(max(count, 1))
        let exponent = Int(floor(log10(raw)))
        let power = pow(10, Double(abs(exponent)))
        // value k·m·10ⁿ, computed as an integer over a power of ten so 3 × 0.2 prints as 0.6
        func value(_ n: Int) -> Double { exponent < 0 ? Double(n) / power : Double(n) * power }
        let m = [1, 2, 5, 10].first { value($0) >= raw } ?? 10
        var out: [Double] = []
        var k = Int((lo / value(m)).rounded(.up))
        while value(k * m) <= hi + value(m) * 1e-9 {
            out.append(value(k * m))
            k += 1
        }
        return out
    }

    /// A domain on round numbers covering `lo...hi`, and zero unless `includeZero` is false.
    static func niceDomain(_ lo: Double, _ hi: Double, includeZero: Bool = true) -> (Double, Double) {
        let a = includeZero ? Swift.min(lo, 0) : lo, b = includeZero ? Swift.max(hi, 0) : hi
        guard b > a else { return (a - 1, a + 1) }
        let t = ticks(a, b)
        let step = t.count > 1 ? t[1] - t[0] : 1
        return ((a / step).rounded(.down) * step, (b / step).rounded(.up) * step)
    }

    /// Colours for rules in stacked bars (Tableau 10), repeated when a policy has more rules.
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                          "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    static func color(_ index: Int) -> String { palette[index % palette.count] }

    /// The largest number of units a per-unit chart draws; larger sets are cut with a note.
    static let maxRows = 200

    /// Room each chart gives a unit's name, in pixels at the charts' 12px type.
    static let nameWidth = 170.0

    /// Pixels per display column of the charts' 12px type: a CJK character is two columns (12px would be
    /// exact), any other one (about 6px), so estimates err long.
    static let columnWidth = 6.6

    /// `name` cut with "…" to fit `width` pixels of 12px type, and the whole name as the tooltip when it
    /// was cut (nil otherwise). Without this a long name runs off the chart's left edge.
    static func fit(_ name: String, width: Double = nameWidth) -> (text: String, tooltip: String?) {
        let text = TextWidth.truncate(name, to: Int(width / columnWidth))
        return (text, text == name ? nil : name)
    }
}
