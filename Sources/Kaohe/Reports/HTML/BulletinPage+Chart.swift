import Foundation

/// The bulletin's chart of totals: one per group (one of every unit without `groups`), with each band's
/// lines taken from that group's holders of the band (`BandLines`).
extension BulletinPage {
    func chartSection(_ w: inout HTMLWriter) {
        let p = sheet.policy
        w.element("h2", [("id", "totals")], text: words.chartSection)
        for section in sheet.groupSections {
            var title = "\(p.title) \(p.year) · \(labels.total)"
            if let label = section.label {
                w.element("h3", text: label)
                title += " · " + label
            }
            chart(&w, section.units, title: title)
        }
    }

    private func chart(_ w: inout HTMLWriter, _ units: [Int], title: String) {
        let p = sheet.policy
        let rows = units.map { u in
            TotalsChart.Row(id: sheet.data.unitIDs[u], name: sheet.data.names[u], rank: sheet.ranking.rank[u],
                            total: sheet.totals[u], totalText: sheet.totalText(sheet.totals[u]), kind: bandKind(u),
                            vetoed: sheet.vetoes(of: u).isEmpty ? nil : labels.vetoed)
        }
        let lines = BandLines(sheet, units: units)
        var cutoffs: [TotalsChart.Cutoff] = []
        var scores: [(value: Points, label: String)] = []
        for cut in lines.cuts {
            let name = ScoreReport.bandLabel(p, cut.band, labels)
            let op = cut.from == .top ? "≥" : "≤"
            let score = sheet.totalText(cut.score)
            // a tie the policy's tie-break keys split at the cut: the line's score is not the whole story
            let broken = cut.tieBroken ? labels.paren(labels.tieBreak + " " + tieBreakNames) : ""
            cutoffs.append(.init(after: cut.after, label: "\(name) \(words.cutoff) \(op) \(score)\(broken)"))
            scores.append((cut.score, "\(name) \(op) \(score)"))
        }
        let declared = lines.declared.map { d in
            TotalsChart.ScoreLine(value: d.value, label: Labels.fill(words.declaredLine, [
                "band": ScoreReport.bandLabel(p, d.band, labels), "op": d.atLeast ? "≥" : "≤", "value": sheet.totalText(d.value)]))
        }
        if rows.count > SVGChart.maxRows {
            // too many for a bar each: the distribution first, then the top and bottom of the ranking
            DistributionChart(totals: units.map { sheet.totals[$0] }, cutoffs: scores + declared.map { ($0.value, $0.label) },
                              base: p.base, baseLabel: words.baseLine, title: title + " · " + words.distribution).draw(&w)
        }
        let chart = TotalsChart(rows: rows, cutoffs: cutoffs, scoreLines: declared, base: p.base, baseLabel: words.baseLine,
                                title: title, gapLabel: { n in "… \(n) \(self.labels.units) …" })
        chart.draw(&w)
    }

    /// The policy's tie-break keys by their articles (or titles), in turn.
    private var tieBreakNames: String {
        let p = sheet.policy
        return p.tieBreak.map { key in
            p.rule(key.id).map { $0.citation.isEmpty ? $0.title : $0.citation }
                ?? p.section(key.id).map { $0.citation ?? $0.title } ?? key.id
        }.joined(separator: labels.listSeparator)
    }
}
