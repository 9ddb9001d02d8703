/// The lines a chart of one group's totals draws for its bands, taken from the units that hold each band and
/// from nothing else: a top band's cut-off comes after its last holder, at the lowest total a holder has; a
/// bottom band's comes before its first holder, at the highest. A unit ranked among the holders that does not
/// hold the band (vetoed from an award, outside a score line, in an earlier band) never sets a line. A band's
/// declared score lines (`min_total`, `max_total`) are lines of their own, whoever holds the band.
struct BandLines {
    /// Where a band's holders end, as a row of the group's chart.
    struct Cut: Equatable {
        var band: String
        var from: Policy.Band.Origin
        /// Drawn after this row (an index into the group's units in rank order).
        var after: Int
        /// The lowest total among a top band's holders, the highest among a bottom band's.
        var score: Points
        /// Whether a unit outside the band, just past the cut, has the same total: the policy's tie-break keys
        /// put it out, and the line must say so.
        var tieBroken: Bool
    }

    /// A score line the policy declares for a band.
    struct Declared: Equatable {
        var band: String
        /// true: `min_total` (≥), false: `max_total` (≤).
        var atLeast: Bool
        var value: Points
    }

    var cuts: [Cut] = []
    var declared: [Declared] = []

    /// The lines of the top and bottom bands for `units`, one group's units in rank order.
    init(_ sheet: Scoresheet, units: [Int]) {
        let p = sheet.policy
        for band in p.bands where band.from == .top || band.from == .bottom {
            if let lo = band.minTotal { declared.append(Declared(band: band.id, atLeast: true, value: Points(lo))) }
            if let hi = band.maxTotal { declared.append(Declared(band: band.id, atLeast: false, value: Points(hi))) }
            let holders = units.indices.filter { sheet.ranking.bands[units[$0]].contains(band.id) }
            guard let first = holders.first, let last = holders.last else { continue }
            let totals = holders.map { sheet.totals[units[$0]] }
            // a unit the band could hold (not vetoed from an award) with a holder's total, on the far side of the cut
            func tiedOutside(_ rows: some Sequence<Int>, _ score: Points) -> Bool {
                rows.contains { i in
                    let u = units[i]
                    return !sheet.ranking.bands[u].contains(band.id) && sheet.totals[u] == score
                        && !(band.award && !sheet.vetoes(of: u).isEmpty)
                }
            }
            if band.from == .top {
                let score = totals.min()!
                cuts.append(Cut(band: band.id, from: .top, after: last, score: score,
                                tieBroken: tiedOutside((last + 1)..<units.count, score)))
            } else if first > 0 {
                let score = totals.max()!
                cuts.append(Cut(band: band.id, from: .bottom, after: first - 1, score: score,
                                tieBroken: tiedOutside(0..<first, score)))
            }
        }
    }
}
