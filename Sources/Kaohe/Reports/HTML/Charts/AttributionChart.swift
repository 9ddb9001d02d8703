/// Each unit's change split by rule as a diverging stacked bar: gains to the right of zero, losses to the
/// left, one colour per rule, and a mark at the net change.
struct AttributionChart {
    var comparison: Comparison
    var units: [Comparison.UnitChange]
    var title: String
    /// The legend entry for the rules without a colour of their own, given how many they are.
    var others: (Int) -> String

    static let width = 900.0, labelWidth = 190.0, valueWidth = 70.0, top = 30.0, rowHeight = 20.0, barHeight = 13.0

    /// How many rules get a colour of their own; the others share grey, since more hues than this cannot be
    /// told apart (and a repeated hue would name two rules).
    static let colored = SVGChart.palette.count - 1
    static let otherColor = "#8c959f"

    /// The rules that changed any drawn unit, in the comparison's rule order, with their colour: those that
    /// moved the most points (summed over the drawn units) each get one, up to `colored`, and the rest are
    /// listed as `others`.
    var legend: (colored: [(key: String, color: String)], others: [String]) {
        var weight: [String: Double] = [:]
        for u in units { for r in u.byRule { weight[r.key, default: 0] += abs(r.delta.doubleValue) } }
        let used = comparison.ruleKeys.map(\.key).filter { weight[$0] != nil }
        let order = Dictionary(uniqueKeysWithValues: used.enumerated().map { ($1, $0) })
        let top = Set(used.sorted { weight[$0]! != weight[$1]! ? weight[$0]! > weight[$1]! : order[$0]! < order[$1]! }
            .prefix(Self.colored))
        let own = used.filter(top.contains)
        return (own.enumerated().map { ($1, SVGChart.color($0)) }, used.filter { !top.contains($0) })
    }

    func draw(_ w: inout HTMLWriter) {
        let (legend, rest) = self.legend
        let colors = Dictionary(uniqueKeysWithValues: legend.map { ($0.key, $0.color) })
        var extent = 1.0
        for u in units {
            let gains = u.byRule.filter { $0.delta > .zero }.reduce(Points.zero) { $0 + $1.delta }
            let losses = u.byRule.filter { $0.delta < .zero }.reduce(Points.zero) { $0 + $1.delta }
            extent = Swift.max(extent, gains.doubleValue, -losses.doubleValue)
        }
        let (lo, hi) = SVGChart.niceDomain(-extent, extent)
        let m = Swift.max(-lo, hi)
        let x = SVGChart.Scale(lo: -m, hi: m, start: Self.labelWidth, end: Self.width - Self.valueWidth)
        let height = Self.top + Double(units.count) * Self.rowHeight + 10
        w.element("div", [("class", "legend")]) { w in
            for (key, color) in legend {
                w.element("span") { w in
                    w.element("span", [("class", "swatch"), ("style", "background:\(color)")], text: "")
                    w.text(comparison.ruleName(key))
                }
            }
            if !rest.isEmpty {
                w.element("span", [("title", rest.map(comparison.ruleName).joined(separator: "; "))]) { w in
                    w.element("span", [("class", "swatch"), ("style", "background:\(Self.otherColor)")], text: "")
                    w.text(others(rest.count))
                }
            }
        }
        w.newline()
        w.svg(width: Self.width, height: height, title: title) { w in
            for t in SVGChart.ticks(-m, m) {
                w.svgLine(x1: x(t), y1: Self.top - 6, x2: x(t), y2: height - 6, cls: t == 0 ? "axis" : "grid")
                w.svgText(Points(t).signed, x: x(t), y: Self.top - 10, anchor: "middle", cls: "muted", size: 11)
            }
            for (i, u) in units.enumerated() {
                let y = Self.top + Double(i) * Self.rowHeight
                let barY = y + (Self.rowHeight - Self.barHeight) / 2
                w.element("a", [("href", "#" + HTMLWriter.anchor(unit: u.unit))]) { w in
                    let name = SVGChart.fit(u.name)
                    w.svgText(name.text, x: Self.labelWidth - 8, y: y + 14, anchor: "end", tooltip: name.tooltip)
                }
                var gain = 0.0, loss = 0.0
                for r in u.byRule {
                    let d = r.delta.doubleValue
                    let from = d > 0 ? gain : loss, to = from + d
                    if d > 0 { gain = to } else { loss = to }
                    w.svgRect(x: x(Swift.min(from, to)), y: barY, width: abs(x(to) - x(from)), height: Self.barHeight,
                              fill: colors[r.key] ?? Self.otherColor, tooltip: "\(comparison.ruleName(r.key)) \(r.delta.signed)")
                }
                let xn = x(u.delta.doubleValue)
                w.svgLine(x1: xn, y1: barY - 3, x2: xn, y2: barY + Self.barHeight + 3, cls: "net")
                w.svgText(u.delta.signed, x: Self.width - 4, y: y + 14, anchor: "end", weight: "700")
            }
        }
    }
}
