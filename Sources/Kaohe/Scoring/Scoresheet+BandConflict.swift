extension Scoresheet {
    /// A top band and a bottom band that hold the same units: those units tie across both cut-offs (every
    /// unit has the same total, or there are too few units), so the bands cannot tell them apart.
    public struct BandConflict: Sendable {
        public var top: Policy.Band
        public var bottom: Policy.Band
        public var units: [Int]

        /// Every pair of a top and a bottom band that share units, in policy order; units in rank order.
        static func find(policy: Policy, ranking: RankingResult) -> [BandConflict] {
            let bands = policy.bands.filter { !$0.isHistory }
            var conflicts: [BandConflict] = []
            for top in bands where top.from == .top {
                for bottom in bands where bottom.from == .bottom {
                    let units = ranking.order.filter {
                        ranking.bands[$0].contains(top.id) && ranking.bands[$0].contains(bottom.id)
                    }
                    if !units.isEmpty { conflicts.append(BandConflict(top: top, bottom: bottom, units: units)) }
                }
            }
            return conflicts
        }

        /// The warning naming the bands and (up to ten of) the units, and what to do.
        func warning(data: Dataset) -> Diagnostic {
            let shown = units.prefix(10).map { "\(data.unitIDs[$0]) \(data.names[$0])" }.joined(separator: ", ")
            let more = units.count > 10 ? " and \(units.count - 10) more" : ""
            let what = units.count == 1 ? "1 unit is" : "\(units.count) units are"
            return Diagnostic(file: nil, severity: .warning, code: "band.tie-across-cutoffs",
                              message: "\(what) in both '\(top.id)' (\(top.label)) and '\(bottom.id)' (\(bottom.label)): "
                                + "\(shown)\(more). They tie across both cut-offs, so the bands cannot tell them apart; "
                                + "check the data, or give the policy a rule that separates them.")
        }
    }

    /// Every pair of a top and a bottom band that share units, in policy order; units in rank order.
    public var bandConflicts: [BandConflict] { BandConflict.find(policy: policy, ranking: ranking) }
}
