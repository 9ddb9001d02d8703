/// The same units under two sets of results (two policies on the same data, or two stored runs): per unit
/// the totals, the change, ranks and bands, and how much of the change each rule accounts for. The per-rule
/// changes of a unit add up exactly to its total change (the base, when it differs, is one of them).
///
/// With groups (分类排名), ranks are ranks within the unit's group on each side, so a rank move is a move
/// within the group; band entries and exits are also told per group (`groupChanges`), and a unit that is in
/// one group on side A and another on side B says so (`groupChanged`). Vetoes (一票否决) a unit gained or lost
/// are listed with their titles and notes.
public struct Comparison: Sendable {
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
        /// Vetoes that bar the unit on side B and did not on side A (B's note), and the reverse (A's note).
        public var vetoesGained: [VetoRecord.Hit] = []
        public var vetoesLost: [VetoRecord.Hit] = []

        /// Whether both sides rank the unit within groups, and in different ones: its ranks are then in two
        /// different groups, not a move within one.
        public var groupChanged: Bool {
            if let ga = a?.group, let gb = b?.group { return ga != gb }
            return false
        }

        /// The group a band the unit entered is told under (B's group, else A's), and one it left (A's, else B's).
        var enteredGroup: String? { b?.group ?? a?.group }
        var leftGroup: String? { a?.group ?? b?.group }
    }

    public struct BandChange: Sendable {
        public var band: String
        public var label: String
        public var entered: [String]
        public var left: [String]
    }

    /// Who entered or left each band within one group (`group` nil: all units, when neither side has groups).
    public struct GroupChanges: Sendable {
        public var group: String?
        public var label: String?
        public var bands: [BandChange]
    }

    public let a: Side
    public let b: Side
    /// Every unit of either side, in B's rank order (units only in A last, by id).
    public let units: [UnitChange]
    /// Rule keys of both sides: B's order, then keys only A has.
    public let ruleKeys: [(key: String, citation: String, title: String)]
    /// Who entered or left each band, over all units (with groups, each band's changes in every group).
    public let bandChanges: [BandChange]
    /// Who entered or left each band, per group: the groups in B's order, then those only A has (a group
    /// without units on either side is left out); one entry with no group when neither side has groups.
    public let groupChanges: [GroupChanges]

    public init(a: Side, b: Side) {
        self.a = a
        self.b = b
        var keys = b.rules
        for r in a.rules where !keys.contains(where: { $0.key == r.key }) { keys.append(r) }
        ruleKeys = keys
        let ids = Set(a.units.keys).union(b.units.keys)
        // B's order: by group (B's order of groups), then rank, then id
        let groupOrder = Dictionary(b.groups?.order.enumerated().map { ($1, $0) } ?? [], uniquingKeysWith: { x, _ in x })
        let ordered = ids.sorted { x, y in
            switch (b.units[x], b.units[y]) {
            case let (u?, v?):
                let gu = u.group.flatMap { groupOrder[$0] } ?? 0, gv = v.group.flatMap { groupOrder[$0] } ?? 0
                if gu != gv { return gu < gv }
                return u.rank != v.rank ? u.rank < v.rank : Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
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
            let vetoedBefore = Set((ua?.vetoes ?? []).map(\.veto.id)), vetoedAfter = Set((ub?.vetoes ?? []).map(\.veto.id))
            return UnitChange(unit: id, name: ub?.name ?? ua?.name ?? "", a: ua, b: ub, delta: delta, byRule: byRule,
                              bandsEntered: (ub?.bands ?? []).filter { !before.contains($0) },
                              bandsLeft: (ua?.bands ?? []).filter { !after.contains($0) },
                              vetoesGained: (ub?.vetoes ?? []).filter { !vetoedBefore.contains($0.veto.id) },
                              vetoesLost: (ua?.vetoes ?? []).filter { !vetoedAfter.contains($0.veto.id) })
        }
        var bandIDs = b.bands.map { ($0.id, $0.label) }
        for band in a.bands where !bandIDs.contains(where: { $0.0 == band.id }) { bandIDs.append((band.id, band.label)) }
        let all = units
        func changes(_ inGroup: (UnitChange, _ entered: Bool) -> Bool) -> [BandChange] {
            bandIDs.map { id, label in
                BandChange(band: id, label: label,
                           entered: all.filter { $0.bandsEntered.contains(id) && inGroup($0, true) }.map(\.unit),
                           left: all.filter { $0.bandsLeft.contains(id) && inGroup($0, false) }.map(\.unit))
            }
        }
        hasVetoes = !a.vetoes.isEmpty || !b.vetoes.isEmpty || units.contains { !$0.vetoesGained.isEmpty || !$0.vetoesLost.isEmpty }
        bandChanges = changes { _, _ in true }
        if a.groups == nil && b.groups == nil {
            groupChanges = [GroupChanges(group: nil, label: nil, bands: bandChanges)]
        } else {
            var groups: [(id: String, label: String)] = []
            for side in [b, a] {
                for (id, label) in zip(side.groups?.order ?? [], side.groups?.labels ?? []) where !groups.contains(where: { $0.id == id }) {
                    groups.append((id, label))
                }
            }
            let used = Set(all.flatMap { [$0.a?.group, $0.b?.group].compactMap { $0 } })
            var sections = groups.filter { used.contains($0.id) }.map { g in
                GroupChanges(group: g.id, label: g.label,
                             bands: changes { u, entered in (entered ? u.enteredGroup : u.leftGroup) == g.id })
            }
            // units that are in no group on either side (only on an ungrouped side): told apart, not dropped
            if all.contains(where: { $0.enteredGroup == nil }) {
                sections.append(GroupChanges(group: nil, label: nil,
                                             bands: changes { u, entered in (entered ? u.enteredGroup : u.leftGroup) == nil }))
            }
            groupChanges = sections
        }
    }

    /// Whether either side ranks units within groups.
    public var grouped: Bool { a.groups != nil || b.groups != nil }

    /// Whether vetoes are part of the comparison: either policy declares one, or a unit gained or lost one.
    /// (Settled once: the reports ask for every unit, and a scan each time made them quadratic.)
    public let hasVetoes: Bool

    /// Units whose group differs between the sides.
    public var groupMoves: [UnitChange] { units.filter(\.groupChanged) }

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
        if key == "base" || key == "rounding" { return key }
        let name = [r.citation, r.title].filter { !$0.isEmpty }.joined(separator: " ")
        return name.isEmpty ? key : name
    }
}
