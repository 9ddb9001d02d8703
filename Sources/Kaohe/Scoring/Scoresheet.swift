/// The outcome of scoring: every unit's line items after caps, totals, ranks and bands.
/// Stored by column (units × rules) so that 40,000 units × a dozen rules cost no per-item objects;
/// `items(of:)` builds a unit's line items on demand. A value, complete when `Assessment.score` returns it:
/// the history bands are settled inside.
public struct Scoresheet: Sendable {
    public struct LineItem: Sendable, Equatable {
        public var rule: String
        public var citation: String
        public var title: String
        /// Points after caps.
        public var points: Points
        /// Points as the rule returned them (rounded to six decimals).
        public var raw: Points
        public var note: String
        /// The cap that changed the points, e.g. "max 20", or nil.
        public var cap: String?
        /// Index of the rule in the policy, or nil for a section-cap adjustment.
        public var ruleIndex: Int?
    }

    public let policy: Policy
    public let data: Dataset
    let raw: [Points]
    let capped: [Points]
    /// Per unit and section: the adjustment that brings a section's sum within its caps.
    let sectionAdjustments: [Points]
    let notes: NoteStore
    /// Per unit and veto: whether the veto bars the unit from award bands.
    let vetoed: [Bool]
    /// Each unit's total as the rules add up (six decimals), before the policy's `total` rounding.
    public let exactTotals: [Points]
    /// Each unit's total as ranked: rounded as the policy's `total` says (the exact total without it).
    public let totals: [Points]
    /// Per unit: the points on each of the policy's tie-break keys (empty without `tie_break`).
    let tieKeys: [[Points]]
    public let ranking: RankingResult
    /// What the run could not do as the policy asks, without making the results wrong (a history band with
    /// no earlier runs to match), and bands that cannot tell tied units apart.
    public let notices: [Diagnostic]

    init(policy: Policy, data: Dataset, raw: [Points], vetoed: [Bool], notes: NoteStore, history: Assessment.History?) throws {
        self.policy = policy
        self.data = data
        self.raw = raw
        self.vetoed = vetoed
        self.notes = notes
        let nr = policy.rules.count, ns = policy.sections.count
        let n = data.unitCount
        var capped = raw
        var adjust = [Points](repeating: .zero, count: n * ns)
        var totals = [Points](repeating: policy.base, count: n)
        let mins = policy.rules.map { $0.min.map(Points.init) }
        let maxs = policy.rules.map { $0.max.map(Points.init) }
        let sectionOf = policy.rules.map { r in r.section.flatMap { id in policy.sections.firstIndex { $0.id == id } } }
        let sectionMin = policy.sections.map { $0.min.map(Points.init) }
        let sectionMax = policy.sections.map { $0.max.map(Points.init) }
        for u in 0..<n {
            var sums = [Points](repeating: .zero, count: ns)
            var total = policy.base
            for r in 0..<nr {
                var p = raw[u * nr + r]
                if let lo = mins[r], p < lo { p = lo }
                if let hi = maxs[r], p > hi { p = hi }
                capped[u * nr + r] = p
                total += p
                if let s = sectionOf[r] { sums[s] += p }
            }
            for s in 0..<ns {
                var a = Points.zero
                if let lo = sectionMin[s], sums[s] < lo { a = lo - sums[s] }
                if let hi = sectionMax[s], sums[s] > hi { a = hi - sums[s] }
                adjust[u * ns + s] = a
                total += a
            }
            totals[u] = total
        }
        self.capped = capped
        self.sectionAdjustments = adjust
        self.exactTotals = totals
        if let rounding = policy.total {
            for u in 0..<n { totals[u] = totals[u].rounded(decimals: rounding.decimals, rounding.rounding) }
        }
        self.totals = totals
        let tieKeys = Self.tieKeys(policy: policy, units: n, capped: capped, adjustments: adjust)
        self.tieKeys = tieKeys
        let nv = policy.vetoes.count
        let barred = (0..<n).map { u in (0..<nv).contains { vetoed[u * nv + $0] } }
        var ranking = RankingResult(totals: totals, tieKeys: tieKeys, unitIDs: data.unitIDs, ranking: policy.ranking,
                                    bands: policy.bands, group: data.groupIndex, groupCount: policy.groups?.order.count ?? 1,
                                    vetoed: nv == 0 ? [] : barred)
        var notices: [Diagnostic] = []
        if let history, policy.bands.contains(where: { $0.isHistory }) {
            if let jurisdiction = policy.jurisdiction {
                try Self.addHistoryBands(to: &ranking, policy: policy, unitIDs: data.unitIDs, barred: barred) { try history.bands(jurisdiction, $0) }
            } else {
                notices.append(Diagnostic(file: nil, severity: .note, code: "history.no-jurisdiction",
                                          message: "the policy has no jurisdiction, so its runs cannot be matched with earlier years'"))
            }
        }
        self.ranking = ranking
        let sizes = Self.groupSizes(data: data, groups: policy.groups)
        self.notices = Self.emptyBands(policy: policy, groupSizes: sizes, ranking: ranking)
            + Self.overfullNotices(policy: policy, ranking: ranking, data: data)
            + BandConflict.find(policy: policy, ranking: ranking).map { $0.warning(data: data) } + notices
    }

    /// The number of units in each group (one group of all units without `groups`).
    static func groupSizes(data: Dataset, groups: Policy.Groups?) -> [Int] {
        guard let groups else { return [data.unitCount] }
        var sizes = [Int](repeating: 0, count: groups.order.count)
        for g in data.groupIndex { sizes[g] += 1 }
        return sizes
    }

    /// " in group 'street' (街道)": the words placing a notice in a group, empty without groups.
    static func inGroup(_ policy: Policy, _ g: Int) -> String {
        guard let groups = policy.groups else { return "" }
        let id = groups.order[g], label = groups.labels[g]
        return " in group \(label == id ? "'\(id)'" : "'\(id)' (\(label))")"
    }

    /// A fraction band whose share of a group rounds to no place at all: the document surely meant someone,
    /// and an empty list in a bulletin must not pass unremarked.
    static func emptyBands(policy: Policy, groupSizes: [Int], ranking: RankingResult) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for (b, band) in policy.bands.enumerated() where !band.isHistory && band.count == nil {
            for (g, size) in groupSizes.enumerated() where size > 0 && ranking.places[b][g] == 0 {
                let percent = Points(band.fraction * 100)
                let rounds = band.round == .ceil ? "rounds up" : band.round == .nearest ? "rounds" : "rounds down"
                out.append(Diagnostic(file: nil, severity: .warning, code: "band.empty",
                                      message: "band '\(band.id)' (\(band.label)) holds no unit\(inGroup(policy, g))"
                                        + ": \(percent)% of \(size) unit\(size == 1 ? "" : "s") is \(Points(band.fraction * Double(size))), "
                                        + "which \(rounds) to 0; check the band's fraction for this number of units",
                                      hint: "add at_least = 1 to the band if the document means at least one unit"))
            }
        }
        return out
    }

    /// Bands holding more units than their places because units tie at the cut (名额 a tie could not split).
    static func overfullNotices(policy: Policy, ranking: RankingResult, data: Dataset) -> [Diagnostic] {
        ranking.overfull.map { o in
            let band = policy.bands.first { $0.id == o.band }!
            let shown = o.units.prefix(10).map { "\(data.unitIDs[$0]) \(data.names[$0])" }.joined(separator: ", ")
            return Diagnostic(file: nil, severity: .warning, code: "band.tie-over-places",
                              message: "band '\(band.id)' (\(band.label))\(inGroup(policy, o.group)) has \(o.places) place\(o.places == 1 ? "" : "s") "
                                + "but holds \(o.units.count) units, tied at the cut: \(shown)",
                              hint: policy.tieBreak.isEmpty ? "if the document breaks ties, say how with tie_break = { rule or section ids }"
                                                            : "the tie_break keys do not separate them either; check the document's rule for ties")
        }
    }

    /// Each unit's points on the policy's tie-break keys: a rule's points after caps, or a section's sum within
    /// its caps.
    static func tieKeys(policy: Policy, units n: Int, capped: [Points], adjustments: [Points]) -> [[Points]] {
        guard !policy.tieBreak.isEmpty else { return [] }
        let nr = policy.rules.count, ns = policy.sections.count
        let columns: [(rules: [Int], section: Int?)] = policy.tieBreak.map { key in
            switch key.kind {
            case .rule: return ([policy.rules.firstIndex { $0.id == key.id }!], nil)
            case .section:
                let s = policy.sections.firstIndex { $0.id == key.id }!
                return (policy.rules.indices.filter { policy.rules[$0].section == key.id }, s)
            }
        }
        return (0..<n).map { u in
            columns.map { c in
                var p = c.rules.reduce(Points.zero) { $0 + capped[u * nr + $1] }
                if let s = c.section { p += adjustments[u * ns + s] }
                return p
            }
        }
    }

    /// The points of unit `u` on each tie-break key.
    public func tieKeyPoints(of u: Int) -> [Points] { tieKeys.isEmpty ? [] : tieKeys[u] }

    public var unitCount: Int { data.unitCount }

    /// Note slots per unit: one per rule, then one per veto.
    var stride: Int { policy.rules.count + policy.vetoes.count }

    /// A veto that bars a unit, with the note its when function gave.
    public struct VetoHit: Sendable, Equatable {
        public var veto: Policy.Veto
        public var note: String
    }

    /// The vetoes that bar unit `u` from award bands, in the policy's order.
    public func vetoes(of u: Int) -> [VetoHit] {
        let nv = policy.vetoes.count, nr = policy.rules.count
        return (0..<nv).filter { vetoed[u * nv + $0] }.map { VetoHit(veto: policy.vetoes[$0], note: notes.note(u * stride + nr + $0)) }
    }

    /// Unit `u`'s group id (nil without `groups`).
    public func group(of u: Int) -> String? { policy.groups.map { $0.order[data.groupIndex[u]] } }

    /// A total as the document states it: with exactly the policy's `total.decimals` places ("92.30"), or
    /// the shortest exact decimal without `total`.
    public func totalText(_ p: Points) -> String { policy.total.map { p.fixed(decimals: $0.decimals) } ?? p.description }

    /// The line items of unit `u`: one per rule in policy order, then any section-cap adjustments.
    public func items(of u: Int) -> [LineItem] {
        let nr = policy.rules.count
        var out: [LineItem] = []
        out.reserveCapacity(nr)
        for (r, rule) in policy.rules.enumerated() {
            let raw = self.raw[u * nr + r], p = capped[u * nr + r]
            var cap: String?
            if p != raw {
                cap = p > raw ? "min \(Points(rule.min!))" : "max \(Points(rule.max!))"
            }
            out.append(LineItem(rule: rule.id, citation: rule.citation, title: rule.title, points: p, raw: raw,
                                note: notes.note(u * stride + r), cap: cap, ruleIndex: r))
        }
        let ns = policy.sections.count
        for (s, section) in policy.sections.enumerated() {
            let a = sectionAdjustments[u * ns + s]
            if a == .zero { continue }
            let bound = a < .zero ? "max \(Points(section.max!))" : "min \(Points(section.min!))"
            out.append(LineItem(rule: "section:" + section.id, citation: section.citation ?? "", title: section.title,
                                points: a, raw: .zero, note: "", cap: bound, ruleIndex: nil))
        }
        return out
    }

    /// The policy's history bands (e.g. `bottom20-twice`, 第十七条): a unit gets one when it has the repeated
    /// band this year and had it in each of the previous `years - 1` years. `bandsInYear(year)` gives a
    /// stored run's bands by unit id, or nil when that year has no stored run (then no unit gets the band).
    static func addHistoryBands(to ranking: inout RankingResult, policy: Policy, unitIDs: [String], barred: [Bool],
                                _ bandsInYear: (Int) throws -> [String: [String]]?) throws {
        for band in policy.bands where band.isHistory {
            guard let repeated = band.band, let years = band.years else { continue }
            var earlier: [[String: [String]]] = []
            for back in 1..<years {
                guard let past = try bandsInYear(policy.year - back) else { break }
                earlier.append(past)
            }
            guard earlier.count == years - 1 else { continue }
            for u in unitIDs.indices where ranking.bands[u].contains(repeated) && !(band.award && barred[u]) {
                let id = unitIDs[u]
                if earlier.allSatisfy({ $0[id]?.contains(repeated) == true }) && !ranking.bands[u].contains(band.id) {
                    ranking.bands[u].append(band.id)
                }
            }
        }
    }

    /// Whether the policy declares bands that need earlier years' runs.
    public var hasHistoryBands: Bool { policy.bands.contains { $0.isHistory } }

    /// Unit indices in rank order.
    public var order: [Int] { ranking.order }
}
