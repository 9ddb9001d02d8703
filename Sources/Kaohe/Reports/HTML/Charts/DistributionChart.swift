/// For rankings too long to draw a bar per unit: how many units scored in each band of points, with the
/// base score and each band's cut-off score as vertical lines.
struct DistributionChart {
    var totals: [Points]
    var cutoffs: [(value: Points, label: String)]
    var base: Points
    var baseLabel: String
    var title: String

    static let width = 900.0, height = 280.0, left = 56.0, right = 16.0, top = 40.0, bottom = 28.0

    /// Bin edges on round numbers (about 30 bins) and the count of totals in each.
    static func bins(_ totals: [Points]) -> (lo: Double, step: Double, counts: [Int]) {
        let values = totals.map(\.doubleValue)
        let (lo, hi) = SVGChart.niceDomain(values.min() ?? 0, values.max() ?? 1, includeZero: false)
        let t = SVGChart.ticks(lo, hi, count: 30)
        let step = t.count > 1 ? t[1] - t[0] : 1
        let n = Swift.max(1, Int(((hi - lo) / step).rounded(.up)))
        var counts = [Int](repeating: 0, count: n)
        for v in values { counts[Swift.min(n - 1, Swift.max(0, Int(((v - lo) / step).rounded(.down))))] += 1 }
        return (lo, step, counts)
    }

    func draw(_ w: inout HTMLWriter) {
        let (lo, step, counts) = Self.bins(totals)
        let hi = lo + step * Double(counts.count)
        let x = SVGChart.Scale(lo: lo, hi: hi, start: Self.left, end: Self.width - Self.right)
        let most = Double(counts.max() ?? 1)
        let y = SVGChart.Scale(lo: 0, hi: most, start: Self.height - Self.bottom, end: Self.top)
        w.svg(width: Self.width, height: Self.height, title: title) { w in
            for t in SVGChart.ticks(0, most, count: 4) {
                w.svgLine(x1: Self.left, y1: y(t), x2: Self.width - Self.right, y2: y(t), cls: "grid")
                w.svgText(Points(t).description, x: Self.left - 6, y: y(t) + 4, anchor: "end", cls: "muted", size: 11)
            }
            for t in SVGChart.ticks(lo, hi) {
                w.svgText(Points(t).description, x: x(t), y: Self.height - 10, anchor: "middle", cls: "muted", size: 11)
            }
            for (i, n) in counts.enumerated() where n > 0 {
                let a = lo + step * Double(i)
                w.svgRect(x: x(a) + 0.5, y: y(Double(n)), width: x(a + step) - x(a) - 1, height: y(0) - y(Double(n)),
                          cls: "bar-none", tooltip: "\(Points(a))–\(Points(a + step)): \(n)")
            }
            let lines = [(base, "\(baseLabel) \(base)")] + cutoffs.map { ($0.value, $0.label) }
            for (i, line) in lines.enumerated() where (lo...hi).contains(line.0.doubleValue) {
                let xv = x(line.0.doubleValue)
                w.svgLine(x1: xv, y1: Self.top - 4, x2: xv, y2: Self.height - Self.bottom, cls: "cutoff")
                w.svgText(line.1, x: xv, y: 12 + Double(i % 2) * 14, anchor: "middle", size: 11, weight: "700")
            }
        }
    }
}
