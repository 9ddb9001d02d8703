/// The same units under two sets of results (two policies on the same data, or two stored runs): per unit
/// the totals, the change, ranks and bands, and how much of the change each rule accounts for. The per-rule
/// changes of a unit add up exactly to its total change (the base, when it differs, is one of them).
public struct Comparison: Sendable {
    /// One side of a comparison, however it was produced.
    public struct Side: Sendable {
        public struct Unit: Sendable {
            public var name: String
            public var total: Points
            public var rank: Int
            public var bands: [String]
            /// Points by key: rule id, "section:<id>" for section caps, "base".
            public var points: [String: Points]
        }

        public var label: String
        public var policy: Policy.Summary
        public var bands: [Policy.Band]
        /// Rule keys in the policy's order, with their citation and title.
        public var rules: [(key: String, citation: String, title: String)]
        public var units: [String: Unit]

        public init(label: String, policy: Policy.Summary, bands: [Policy.Band],
                    rules: [(key: String, citation: String, title: String)], units: [String: Unit]) {
            self.label = label
            self.policy = policy
            self.bands = bands
            self.rules = rules
            self.units = units
        }

        /// The results of a scoresheet.
        public init(_ sheet: Scoresheet, label: String) {
            let p = sheet.policy
            var units: [String: Unit] = [:]
            for u in 0..<sheet.unitCount {
                var points: [String: Points] = ["base": p.base]
                for item in sheet.items(of: u) { points[item.rule] = item.points }
                units[sheet.data.unitIDs[u]] = Unit(name: sheet.data.names[u], total: sheet.totals[u],
                                                    rank: sheet.ranking.rank[u], bands: sheet.ranking.bands[u], points: points)
            }
            var rules: [(key: String, citation: String, title: String)] = [("base", "", "base")]
            rules += p.rules.map { ($0.id, $0.citation, $0.title) }
            rules += p.sections.map { ("section:" + $0.id, $0.citation ?? "", $0.title) }
            self.init(label: label, policy: Policy.Summary(p), bands: p.bands, rules: rules, units: units)
        }

        /// A stored run (`kaohe history`). The base is what the total has beyond the line items.
        public init(_ run: RunRecord, label: String) {
            var units: [String: Unit] = [:]
            var rules: [(key: String, citation: String, title: String)] = [("base", "", "base")]
            var bandIDs: [String] = []
            for u in run.units {
                var points: [String: Points] = [:]
                var sum = Points.zero
                for item in u.items {
                    points[item.rule] = item.points
                    sum += item.points
                    if !rules.contains(where: { $0.key == item.rule }) { rules.append((item.rule, item.citation, item.title)) }
                }
                points["base"] = u.total - sum
                for b in u.bands where !bandIDs.contains(b) { bandIDs.append(b) }
                units[u.unit] = Unit(name: u.name, total: u.total, rank: u.rank, bands: u.bands, points: points)
            }
            let bands = bandIDs.map { Policy.Band(id: $0, label: $0, from: nil, fraction: 0, meaning: nil) }
            self.init(label: label, policy: Policy.Summary(id: run.policyID, title: run.policyTitle, year: run.policyYear,
                                                           sha256: run.policySHA256),
                      bands: bands, rules: rules, units: units)
        }
    }

    public struct UnitChange: Sendable {
        public var unit: String
        public var name: String
        public var a: Side.Unit?
        public var b: Side.Unit?
        public var delta: Points
        /// Nonzero per-rule changes, in rule order; they add up to `delta`.
        public var byRule: [(key: String, delta: Points)]
        public var bandsEntered: [String]
        public var bandsLeft: [String]
    }

    public struct BandChange: Sendable {
        public var band: String
        public var label: String
        public var entered: [String]
        public var left: [String]
    }

    public let a: Side
    public let b: Side
    /// Every unit of either side, in B's rank order (units only in A last, by id).
    public let units: [UnitChange]
    /// Rule keys of both sides: B's order, then keys only A has.
    public let ruleKeys: [(key: String, citation: String, title: String)]
    public let bandChanges: [BandChange]

    public init(a: Side, b: Side) {
        self.a = a
        self.b = b
        var keys = b.rules
        for r in a.rules where !keys.contains(where: { $0.key == r.key }) { keys.append(r) }
        ruleKeys = keys
        let ids = Set(a.units.keys).union(b.units.keys)
        let ordered = ids.sorted { x, y in
            switch (b.units[x], b.units[y]) {
            case let (u?, v?): return u.rank != v.rank ? u.rank < v.rank : Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
            case (.some, nil): return true
            case (nil, .some): return false
            default: return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
            }
        }
        units = ordered.map { id in
            let ua = a.units[id], ub = b.units[id]
            let delta = (ub?.total ?? .zero) - (ua?.total ?? .zero)
            var byRule: [(key: String, delta: Points)] = []
            if ua != nil && ub != nil {
                for k in keys {
                    let d = (ub!.points[k.key] ?? .zero) - (ua!.points[k.key] ?? .zero)
                    if d != .zero { byRule.append((k.key, d)) }
                }
            }
            let before = Set(ua?.bands ?? []), after = Set(ub?.bands ?? [])
            return UnitChange(unit: id, name: ub?.name ?? ua?.name ?? "", a: ua, b: ub, delta: delta, byRule: byRule,
                              bandsEntered: (ub?.bands ?? []).filter { !before.contains($0) },
                              bandsLeft: (ua?.bands ?? []).filter { !after.contains($0) })
        }
        var bandIDs = b.bands.map { ($0.id, $0.label) }
        for band in a.bands where !bandIDs.contains(where: { $0.0 == band.id }) { bandIDs.append((band.id, band.label)) }
        let changes = units
        bandChanges = bandIDs.map { id, label in
            BandChange(band: id, label: label,
                       entered: changes.filter { $0.bandsEntered.contains(id) }.map(\.unit),
                       left: changes.filter { $0.bandsLeft.contains(id) }.map(\.unit))
        }
    }

    /// Units whose total or rank changed, largest change first (then rank change, then id).
    public func largestMovers(_ n: Int = 5) -> [UnitChange] {
        // sort keys computed first (a closure reading the optionals directly crashed the 6.3 optimizer)
        var keyed: [(change: UInt64, rank: Int, id: [UInt8], index: Int)] = []
        for (i, u) in units.enumerated() {
            let rankA = u.a?.rank ?? 0, rankB = u.b?.rank ?? 0
            guard u.delta != .zero || rankA != rankB else { continue }
            keyed.append((u.delta.micro.magnitude, abs(rankB - rankA), Array(u.unit.utf8), i))
        }
        keyed.sort { x, y in
            if x.change != y.change { return x.change > y.change }
            if x.rank != y.rank { return x.rank > y.rank }
            return x.id.lexicographicallyPrecedes(y.id)
        }
        return keyed.prefix(n).map { units[$0.index] }
    }

    /// A rule key as people read it: "第九条 “青年大学习”参学率".
    public func ruleName(_ key: String) -> String {
        guard let r = ruleKeys.first(where: { $0.key == key }) else { return key }
        if key == "base" { return "base" }
        let name = [r.citation, r.title].filter { !$0.isEmpty }.joined(separator: " ")
        return name.isEmpty ? key : name
    }
}
