extension Scoresheet {
    /// A top band and a bottom band that hold the same units: those units tie across both cut-offs (every
    /// unit has the same total, or there are too few units), so the bands cannot tell them apart.
    public struct BandConflict: Sendable {
        public var top: Policy.Band
        public var bottom: Policy.Band
        public var units: [Int]
    }

    /// Every pair of a top and a bottom band that share units, in policy order; units in rank order.
    public var bandConflicts: [BandConflict] {
        let bands = policy.bands.filter { !$0.isHistory }
        var conflicts: [BandConflict] = []
        for top in bands where top.from == "top" {
            for bottom in bands where bottom.from == "bottom" {
                let units = ranking.order.filter {
                    ranking.bands[$0].contains(top.id) && ranking.bands[$0].contains(bottom.id)
                }
                if !units.isEmpty { conflicts.append(BandConflict(top: top, bottom: bottom, units: units)) }
            }
        }
        return conflicts
    }

    /// One warning per band conflict, naming the bands and (up to ten of) the units, and what to do.
    public var bandWarnings: [String] {
        bandConflicts.map { c in
            let shown = c.units.prefix(10).map { "\(data.unitIDs[$0]) \(data.names[$0])" }.joined(separator: ", ")
            let more = c.units.count > 10 ? " and \(c.units.count - 10) more" : ""
            let what = c.units.count == 1 ? "1 unit is" : "\(c.units.count) units are"
            return "warning: \(what) in both '\(c.top.id)' (\(c.top.label)) and '\(c.bottom.id)' (\(c.bottom.label)): "
                + "\(shown)\(more). They tie across both cut-offs, so the bands cannot tell them apart; "
                + "check the data, or give the policy a rule that separates them."
        }
    }
}
