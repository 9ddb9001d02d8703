/// The bulletin's chart: one horizontal bar per unit in rank order, coloured by band, with the base score
/// marked and a dashed cut-off line (and its score) where each top or bottom band ends.
struct TotalsChart {
    struct Row {
        var id: String
        var name: String
        var rank: Int
        var total: Points
        var kind: BandKind?
    }

    /// A band's edge: drawn after row `after` (an index into `rows`).
    struct Cutoff {
        var after: Int
        var label: String
    }

    var rows: [Row]
    var cutoffs: [Cutoff]
    var base: Points
    var baseLabel: String
    var title: String
    /// Shown instead of the rows left out when there are more than `SVGChart.maxRows`.
    var gapLabel: (Int) -> String

    static let width = 900.0, labelWidth = 190.0, valueWidth = 60.0
    static let rowHeight = 20.0, barHeight = 14.0, top = 30.0, gapHeight = 18.0

    /// Rows to draw: all, or the first and last halves of `maxRows` around a gap (nil).
    var visibleRows: [Int?] {
        let limit = SVGChart.maxRows
        guard rows.count > limit else { return rows.indices.map { $0 } }
        return Array(0..<(limit / 2)).map { $0 } + [nil] + Array((rows.count - limit / 2)..<rows.count).map { $0 }
    }

    func draw(_ w: inout HTMLWriter) {
        let visible = visibleRows
        let cutAfter = Dictionary(cutoffs.map { ($0.after, $0.label) }, uniquingKeysWith: { a, b in a + " · " + b })
        // y of each visible slot, with room for cut-off labels and the gap
        var ys: [Double] = []
        var y = Self.top
        for slot in visible {
            ys.append(y)
            y += slot == nil ? Self.gapHeight : Self.rowHeight
            if let i = slot, cutAfter[i] != nil { y += Self.gapHeight }
        }
        let height = y + 24
        let totals = rows.map(\.total.doubleValue) + [base.doubleValue]
        let (lo, hi) = SVGChart.niceDomain(totals.min() ?? 0, totals.max() ?? 1)
        let x = SVGChart.Scale(lo: lo, hi: hi, start: Self.labelWidth, end: Self.width - Self.valueWidth)
        w.svg(width: Self.width, height: height, title: title) { w in
            for t in SVGChart.ticks(lo, hi) {
                w.svgLine(x1: x(t), y1: Self.top - 6, x2: x(t), y2: height - 24, cls: "grid")
                w.svgText(Points(t).description, x: x(t), y: Self.top - 10, anchor: "middle", cls: "muted", size: 11)
            }
            for (slot, y) in zip(visible, ys) {
                guard let i = slot else {
                    w.svgText(gapLabel(rows.count - SVGChart.maxRows), x: Self.labelWidth, y: y + 13, cls: "muted")
                    continue
                }
                let r = rows[i], v = r.total.doubleValue
                w.element("a", [("href", "#" + HTMLWriter.anchor(unit: r.id))]) { w in
                    // the room left of the bars, less the rank and its two spaces
                    let name = SVGChart.fit(r.name, width: Self.labelWidth - 12 - Double(String(r.rank).count + 2) * SVGChart.columnWidth)
                    w.svgText("\(r.rank)  \(name.text)", x: Self.labelWidth - 8, y: y + 14, anchor: "end", tooltip: name.tooltip)
                }
                let x0 = x(0), x1 = x(v)
                w.svgRect(x: Swift.min(x0, x1), y: y + (Self.rowHeight - Self.barHeight) / 2, width: abs(x1 - x0),
                          height: Self.barHeight, cls: "bar-" + (r.kind?.rawValue ?? "none"), tooltip: "\(r.name) \(r.total)")
                w.svgText(r.total.description, x: Swift.max(x0, x1) + 4, y: y + 14)
                if let label = cutAfter[i] {
                    let lineY = y + Self.rowHeight + Self.gapHeight / 2
                    w.svgLine(x1: 4, y1: lineY, x2: Self.width - 4, y2: lineY, cls: "cutoff")
                    w.svgText(label, x: Self.width - 6, y: lineY - 3, anchor: "end", size: 11, weight: "700")
                }
            }
            let xb = x(base.doubleValue)
            w.svgLine(x1: xb, y1: Self.top - 6, x2: xb, y2: height - 20, cls: "cutoff")
            w.svgText("\(baseLabel) \(base)", x: xb, y: height - 6, anchor: "middle", size: 11)
        }
    }
}

/// A small diverging bar for a rule's points across units: the mean as a bar from zero, the range from the
/// lowest to the highest as a thin line. All rows share one scale (`extent`), so bars compare.
struct RangeBar {
    var mean: Double
    var lowest: Double
    var highest: Double
    var extent: Double

    static let width = 180.0, height = 16.0

    func draw(_ w: inout HTMLWriter) {
        let m = Swift.max(extent, 1e-9)
        let x = SVGChart.Scale(lo: -m, hi: m, start: 2, end: Self.width - 2)
        w.element("svg", [("class", "inline-bar"), ("xmlns", "http://www.w3.org/2000/svg"),
                          ("viewBox", "0 0 \(HTMLWriter.number(Self.width)) \(HTMLWriter.number(Self.height))"),
                          ("aria-hidden", "true")]) { w in
            w.svgLine(x1: x(lowest), y1: 8, x2: x(highest), y2: 8, cls: "grid")
            let x0 = x(0), x1 = x(mean)
            w.svgRect(x: Swift.min(x0, x1), y: 3, width: abs(x1 - x0), height: 10, fill: mean < 0 ? "#cf222e" : "#1a7f37")
            w.svgLine(x1: x0, y1: 0, x2: x0, y2: Self.height, cls: "axis")
        }
    }
}

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
