extension Scoresheet {
    /// A group of units as reports show it: its id and label (nil without `groups`), and its units in rank order.
    public struct GroupSection: Sendable {
        public var index: Int
        public var id: String?
        public var label: String?
        public var units: [Int]
    }

    /// The groups in the policy's order, each with its units in rank order; one section of every unit without
    /// `groups`. A group no unit belongs to is left out.
    public var groupSections: [GroupSection] {
        guard let groups = policy.groups else { return [GroupSection(index: 0, id: nil, label: nil, units: order)] }
        var units = [[Int]](repeating: [], count: groups.order.count)
        for u in order { units[data.groupIndex[u]].append(u) }
        return groups.order.indices.filter { !units[$0].isEmpty }.map {
            GroupSection(index: $0, id: groups.order[$0], label: groups.labels[$0], units: units[$0])
        }
    }

    /// Unit `u`'s group label (nil without `groups`).
    public func groupLabel(of u: Int) -> String? { policy.groups.map { $0.labels[data.groupIndex[u]] } }

    /// The count bands of group `g` that ties made hold more units than their places.
    public func overfull(inGroup g: Int) -> [RankingResult.Overfull] { ranking.overfull.filter { $0.group == g } }

    /// How many units of `units` hold band `id`.
    public func count(of id: String, in units: [Int]) -> Int { units.filter { ranking.bands[$0].contains(id) }.count }
}
