extension Comparison {
    /// One side of a comparison, however it was produced: a scoresheet, or a stored run.
    public struct Side: Sendable {
        public struct Unit: Sendable {
            public var name: String
            public var total: Points
            /// The rank within the unit's group (among all units without groups).
            public var rank: Int
            public var bands: [String]
            /// Points by key: rule id, "section:<id>" for section caps, "base", and "rounding" (what the
            /// policy's `total` rounding added) when the policy rounds totals.
            public var points: [String: Points]
            /// The unit's group id (nil when the side has no groups).
            public var group: String? = nil
            /// The vetoes that bar the unit from award bands, in the policy's order.
            public var vetoes: [VetoRecord.Hit] = []
        }

        public var label: String
        public var policy: Policy.Summary
        public var bands: [Policy.Band]
        /// Rule keys in the policy's order, with their citation and title.
        public var rules: [(key: String, citation: String, title: String)]
        public var units: [String: Unit]
        /// The groups units are ranked and banded within (nil: one ranking of all units).
        public var groups: Policy.Groups?
        /// The policy's one-vote vetoes.
        public var vetoes: [VetoRecord]
        /// The places totals are printed with (the policy's `total.decimals`; nil: as they are).
        public var totalDecimals: Int?

        public init(label: String, policy: Policy.Summary, bands: [Policy.Band],
                    rules: [(key: String, citation: String, title: String)], units: [String: Unit],
                    groups: Policy.Groups? = nil, vetoes: [VetoRecord] = [], totalDecimals: Int? = nil) {
            self.label = label
            self.policy = policy
            self.bands = bands
            self.rules = rules
            self.units = units
            self.groups = groups
            self.vetoes = vetoes
            self.totalDecimals = totalDecimals
        }

        /// The results of a scoresheet.
        public init(_ sheet: Scoresheet, label: String) {
            let p = sheet.policy
            var units: [String: Unit] = [:]
            for u in 0..<sheet.unitCount {
                var points: [String: Points] = ["base": p.base]
                for item in sheet.items(of: u) { points[item.rule] = item.points }
                if p.total != nil { points["rounding"] = sheet.totals[u] - sheet.exactTotals[u] }
                units[sheet.data.unitIDs[u]] = Unit(name: sheet.data.names[u], total: sheet.totals[u],
                                                    rank: sheet.ranking.rank[u], bands: sheet.ranking.bands[u], points: points,
                                                    group: sheet.group(of: u), vetoes: sheet.vetoes(of: u).map(VetoRecord.Hit.init(_:)))
            }
            var rules: [(key: String, citation: String, title: String)] = [("base", "", "base")]
            rules += p.rules.map { ($0.id, $0.citation, $0.title) }
            rules += p.sections.map { ("section:" + $0.id, $0.citation ?? "", $0.title) }
            if p.total != nil { rules.append(("rounding", "", "rounding")) }
            self.init(label: label, policy: Policy.Summary(p), bands: p.bands, rules: rules, units: units,
                      groups: p.groups, vetoes: p.vetoes.map(VetoRecord.init(_:)), totalDecimals: p.total?.decimals)
        }

        /// A stored run (`kaohe history`). The base is what the total before rounding has beyond the line
        /// items, and "rounding" what the policy's rounding added. A run saved before schema v3 has neither
        /// the total before rounding (its base takes in the rounding) nor its bands' labels (their ids stand
        /// in for them).
        public init(_ run: RunRecord, label: String) {
            var units: [String: Unit] = [:]
            var rules: [(key: String, citation: String, title: String)] = [("base", "", "base")]
            for u in run.units {
                var points: [String: Points] = [:]
                var sum = Points.zero
                for item in u.items {
                    points[item.rule] = item.points
                    sum += item.points
                    if !rules.contains(where: { $0.key == item.rule }) { rules.append((item.rule, item.citation, item.title)) }
                }
                points["base"] = (u.exactTotal ?? u.total) - sum
                if run.totalDecimals != nil, let exact = u.exactTotal { points["rounding"] = u.total - exact }
                units[u.unit] = Unit(name: u.name, total: u.total, rank: u.rank, bands: u.bands, points: points,
                                     group: u.group, vetoes: u.vetoes)
            }
            if run.totalDecimals != nil && run.units.contains(where: { $0.exactTotal != nil }) {
                rules.append(("rounding", "", "rounding"))
            }
            var bands = run.bandList
            // a band a unit holds that the run does not list (not written by kaohe) is still shown, by its id
            for u in run.units { for b in u.bands where !bands.contains(where: { $0.id == b }) { bands.append(BandRecord(id: b, label: b, from: nil)) } }
            self.init(label: label, policy: Policy.Summary(id: run.policyID, title: run.policyTitle, year: run.policyYear,
                                                           sha256: run.policySHA256),
                      bands: bands.map(\.band), rules: rules, units: units,
                      groups: run.groups, vetoes: run.vetoes, totalDecimals: run.totalDecimals)
        }

        /// A total as this side's policy states it: with exactly its `total.decimals` places, or as it is.
        public func totalText(_ p: Points) -> String { totalDecimals.map { p.fixed(decimals: $0) } ?? p.description }

        /// A group's label on this side (its id when the side has no such group).
        public func groupLabel(_ id: String) -> String { groups?.label(of: id) ?? id }
    }
}
