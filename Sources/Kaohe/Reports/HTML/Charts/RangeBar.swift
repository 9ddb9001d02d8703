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
