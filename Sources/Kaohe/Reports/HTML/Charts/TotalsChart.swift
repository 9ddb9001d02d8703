/// The bulletin's chart: one horizontal bar per unit in rank order, coloured by band, with the base score
/// marked, a dashed cut-off line (and its score) where each top or bottom band ends, and a vertical line at
/// each score line the policy declares. A vetoed unit's bar is drawn hollow and says so.
struct TotalsChart {
    struct Row {
        var id: String
        var name: String
        var rank: Int
        var total: Points
        /// The total as the document prints it (`Scoresheet.totalText`).
        var totalText: String
        var kind: BandKind?
        /// For a vetoed unit, the words drawn on its bar (取消评优资格); nil otherwise.
        var vetoed: String? = nil
    }

    /// A band's edge: drawn after row `after` (an index into `rows`).
    struct Cutoff {
        var after: Int
        var label: String
    }

    /// A vertical line at a total, e.g. a band's declared score line.
    struct ScoreLine {
        var value: Points
        var label: String
    }

    var rows: [Row]
    var cutoffs: [Cutoff]
    var scoreLines: [ScoreLine] = []
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
        let rowsEnd = y
        let height = y + 24 + Double(scoreLines.count) * Self.gapHeight
        let totals = rows.map(\.total.doubleValue) + [base.doubleValue] + scoreLines.map(\.value.doubleValue)
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
                let cls = "bar-" + (r.kind?.rawValue ?? "none") + (r.vetoed == nil ? "" : " vetoed")
                w.svgRect(x: Swift.min(x0, x1), y: y + (Self.rowHeight - Self.barHeight) / 2, width: abs(x1 - x0),
                          height: Self.barHeight, cls: cls, tooltip: "\(r.name) \(r.totalText)" + (r.vetoed.map { " · " + $0 } ?? ""))
                w.svgText(r.totalText, x: Swift.max(x0, x1) + 4, y: y + 14)
                if let vetoed = r.vetoed {
                    w.svgText(vetoed, x: Swift.min(x0, x1) + 4, y: y + 14, cls: "veto-mark", size: 11, weight: "700")
                }
                if let label = cutAfter[i] {
                    let lineY = y + Self.rowHeight + Self.gapHeight / 2
                    w.svgLine(x1: 4, y1: lineY, x2: Self.width - 4, y2: lineY, cls: "cutoff")
                    w.svgText(label, x: Self.width - 6, y: lineY - 3, anchor: "end", size: 11, weight: "700")
                }
            }
            // declared score lines: vertical, labelled below the rows, each on its own line
            for (i, line) in scoreLines.enumerated() {
                let xv = x(line.value.doubleValue), labelY = rowsEnd + 10 + Double(i) * Self.gapHeight
                w.svgLine(x1: xv, y1: Self.top - 6, x2: xv, y2: labelY - 10, cls: "score-line")
                let anchor = xv > Self.width - 160 ? "end" : xv < 160 ? "start" : "middle"
                w.svgText(line.label, x: xv, y: labelY, anchor: anchor, size: 11, weight: "700")
            }
            let xb = x(base.doubleValue)
            w.svgLine(x1: xb, y1: Self.top - 6, x2: xb, y2: height - 20, cls: "cutoff")
            w.svgText("\(baseLabel) \(base)", x: xb, y: height - 6, anchor: "middle", size: 11)
        }
    }
}
