/// Rank A → rank B for every unit as a slope chart: a line per unit between the two rankings, units that
/// entered a band drawn in the band's colour, units that left one dashed; dots show band membership.
struct SlopeChart {
    var comparison: Comparison
    var units: [Comparison.UnitChange]
    var title: String

    static let width = 900.0, left = 330.0, right = 570.0, top = 44.0, rowHeight = 20.0

    func kind(_ bandIDs: [String]) -> BandKind? {
        BandKind.strongest(bandIDs.compactMap { comparison.band($0).map(BandKind.init) })
    }

    /// A unit's rank on side A; with the group when the unit is in another group on side B (a chart of one
    /// group then shows a rank of another).
    func rankA(_ u: Comparison.UnitChange, _ a: Comparison.Side.Unit) -> String {
        guard u.groupChanged, let g = a.group else { return String(a.rank) }
        return "\(comparison.a.groupLabel(g)) \(a.rank)"
    }

    /// Position of each unit on one side: its place among the drawn units in that side's rank order.
    static func positions(_ units: [Comparison.UnitChange], _ side: (Comparison.UnitChange) -> Comparison.Side.Unit?) -> [String: Int] {
        let present = units.filter { side($0) != nil }
        let sorted = present.sorted { x, y in
            let a = side(x)!.rank, b = side(y)!.rank
            return a != b ? a < b : Array(x.unit.utf8).lexicographicallyPrecedes(Array(y.unit.utf8))
        }
        return Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($0.element.unit, $0.offset) })
    }

    func draw(_ w: inout HTMLWriter) {
        let pa = Self.positions(units) { $0.a }, pb = Self.positions(units) { $0.b }
        let height = Self.top + Double(Swift.max(pa.count, pb.count)) * Self.rowHeight + 10
        func y(_ position: Int) -> Double { Self.top + Double(position) * Self.rowHeight + Self.rowHeight / 2 }
        w.svg(width: Self.width, height: height, title: title) { w in
            w.svgText(comparison.a.label, x: Self.left, y: 18, anchor: "end", weight: "700")
            w.svgText(comparison.b.label, x: Self.right, y: 18, weight: "700")
            w.svgLine(x1: Self.left, y1: Self.top - 8, x2: Self.left, y2: height - 6, cls: "axis")
            w.svgLine(x1: Self.right, y1: Self.top - 8, x2: Self.right, y2: height - 6, cls: "axis")
            // unchanged units first, so highlighted lines are drawn on top
            let highlighted = { (u: Comparison.UnitChange) in !u.bandsEntered.isEmpty || !u.bandsLeft.isEmpty }
            for u in units.filter({ !highlighted($0) }) + units.filter(highlighted) {
                guard u.a != nil, u.b != nil, let ya = pa[u.unit].map(y), let yb = pb[u.unit].map(y) else { continue }
                var cls = "slope"
                if let k = kind(u.bandsEntered) { cls += " entered-" + k.rawValue } else if !u.bandsLeft.isEmpty { cls += " left" }
                w.element("path", [("class", cls), ("d", "M\(HTMLWriter.number(Self.left)) \(HTMLWriter.number(ya)) "
                    + "C\(HTMLWriter.number((Self.left + Self.right) / 2)) \(HTMLWriter.number(ya)) "
                    + "\(HTMLWriter.number((Self.left + Self.right) / 2)) \(HTMLWriter.number(yb)) "
                    + "\(HTMLWriter.number(Self.right)) \(HTMLWriter.number(yb))")]) { w in
                    w.element("title", text: "\(u.name) \(CompareReport.rankMove(comparison, u)) \(u.delta.signed)")
                }
            }
            for u in units {
                let entered = u.bandsEntered.isEmpty ? nil : "700"
                let name = SVGChart.fit(u.name)
                if let a = u.a, let p = pa[u.unit] {
                    dot(&w, x: Self.left, y: y(p), kind(a.bands))
                    w.element("a", [("href", "#" + HTMLWriter.anchor(unit: u.unit))]) { w in
                        w.svgText("\(rankA(u, a))  \(name.text)  \(comparison.a.totalText(a.total))", x: Self.left - 10, y: y(p) + 4, anchor: "end",
                                  weight: u.bandsLeft.isEmpty ? nil : "700", tooltip: name.tooltip)
                    }
                }
                if let b = u.b, let p = pb[u.unit] {
                    dot(&w, x: Self.right, y: y(p), kind(b.bands))
                    w.element("a", [("href", "#" + HTMLWriter.anchor(unit: u.unit))]) { w in
                        w.svgText("\(b.rank)  \(name.text)  \(comparison.b.totalText(b.total))（\(u.delta.signed)）", x: Self.right + 10, y: y(p) + 4,
                                  weight: entered, tooltip: name.tooltip)
                    }
                }
            }
        }
    }

    private func dot(_ w: inout HTMLWriter, x: Double, y: Double, _ kind: BandKind?) {
        w.empty("circle", [("cx", HTMLWriter.number(x)), ("cy", HTMLWriter.number(y)), ("r", "4"),
                           ("class", "bar-" + (kind?.rawValue ?? "none"))])
    }
}
