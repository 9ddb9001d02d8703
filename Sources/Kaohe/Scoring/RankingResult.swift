/// Ranks and bands, within each group of units.
///
/// Within a group, ranking is by total, descending; tied units are listed by unit id (byte order of UTF-8,
/// the same as code point order). Competition ranking ("1224") gives a unit 1 + the number of units with a
/// strictly higher total; dense ranking ("1223", 中国式排名) gives 1 + the number of distinct higher totals.
/// With tie-break keys (`tie_break`: rules' or sections' points, in turn), units with equal totals are
/// ordered by the first key that differs; "higher" and "tied" then mean on the total and every key.
///
/// A top or bottom band takes k places of its group: `count`, or k = fraction × the group's size (computed
/// exactly from the fraction's decimal value, rounded down unless `round` says otherwise), at least
/// `at_least`. Places are counted from its end among the units the band may hold (an award band skips
/// vetoed units): a unit's place is 1 + the number of such units strictly above it (from the top) or below
/// it (from the bottom), so tied units are always in or out together, and under dense ranking a band still
/// counts units, not distinct totals. The band holds places start+1 … start+k, where start is 0, or with
/// `after = "b"` b's start + b's k (whether or not b holds anyone), and of those only the units within its
/// score lines (`min_total`, `max_total`).
public struct RankingResult: Sendable {
    /// Unit indices by group (in the policy's order), then rank, then unit id.
    public let order: [Int]
    /// Each unit's rank within its group.
    public let rank: [Int]
    /// Band ids per unit, in the policy's order (history bands are settled by the scoresheet).
    public internal(set) var bands: [[String]]
    /// Each band's places in each group: `places[band][group]` (0 for history bands).
    public let places: [[Int]]
    /// Count bands that hold more units than their places because units tie at the cut.
    public let overfull: [Overfull]

    public struct Overfull: Sendable, Equatable {
        public var band: String
        public var group: Int
        public var places: Int
        /// Units the band holds, in rank order.
        public var units: [Int]
    }

    /// `tieKeys[u]`: unit u's points on each tie-break key, in the policy's order (empty without `tie_break`).
    /// `group[u]`: the index of unit u's group (empty: one group of all units); `vetoed[u]`: whether a veto
    /// bars unit u from award bands (empty: none is).
    public init(totals: [Points], tieKeys: [[Points]] = [], unitIDs: [String], ranking: Policy.Ranking, bands: [Policy.Band],
                group: [Int] = [], groupCount: Int = 1, vetoed: [Bool] = []) {
        let n = totals.count
        let ids = unitIDs.map { Array($0.utf8) }
        /// -1: a ranks higher, 1: b does, 0: equal on the total and every key.
        func compare(_ a: Int, _ b: Int) -> Int {
            if totals[a] != totals[b] { return totals[a] > totals[b] ? -1 : 1 }
            if !tieKeys.isEmpty {
                for (x, y) in zip(tieKeys[a], tieKeys[b]) where x != y { return x > y ? -1 : 1 }
            }
            return 0
        }
        let groupOf = group.isEmpty ? [Int](repeating: 0, count: n) : group
        let isVetoed = vetoed.isEmpty ? [Bool](repeating: false, count: n) : vetoed
        let order = (0..<n).sorted { a, b in
            if groupOf[a] != groupOf[b] { return groupOf[a] < groupOf[b] }
            let c = compare(a, b)
            if c != 0 { return c < 0 }
            return ids[a].lexicographicallyPrecedes(ids[b])
        }
        var rank = [Int](repeating: 0, count: n)
        var members = [[Int]](repeating: [], count: groupCount)
        for u in order { members[groupOf[u]].append(u) }
        for list in members {
            var i = 0, distinct = 0
            while i < list.count {
                var j = i
                while j < list.count && compare(list[j], list[i]) == 0 { j += 1 }
                distinct += 1
                for k in i..<j { rank[list[k]] = ranking == .competition ? i + 1 : distinct }
                i = j
            }
        }
        var unitBands = [[String]](repeating: [], count: n)
        var places = [[Int]](repeating: [Int](repeating: 0, count: groupCount), count: bands.count)
        var starts = places
        var overfull: [Overfull] = []
        let minTotals = bands.map { $0.minTotal.map(Points.init) }, maxTotals = bands.map { $0.maxTotal.map(Points.init) }
        for (b, band) in bands.enumerated() where !band.isHistory {
            let after = band.after.flatMap { id in bands.firstIndex { $0.id == id } }
            for (g, list) in members.enumerated() {
                let k = Self.places(of: band, groupSize: list.count)
                let start = after.map { starts[$0][g] + places[$0][g] } ?? 0
                places[b][g] = k
                starts[b][g] = start
                // the units this band may hold, from its end
                var candidates = band.award ? list.filter { !isVetoed[$0] } : list
                if band.from == .bottom { candidates.reverse() }
                var held: [Int] = []
                var i = 0
                while i < candidates.count {
                    var j = i
                    while j < candidates.count && compare(candidates[j], candidates[i]) == 0 { j += 1 }
                    let place = i + 1   // 1 + the candidates strictly before this tie
                    if place > start + k { break }
                    if place > start {
                        for u in candidates[i..<j] {
                            if let lo = minTotals[b], totals[u] < lo { continue }
                            if let hi = maxTotals[b], totals[u] > hi { continue }
                            held.append(u)
                        }
                    }
                    i = j
                }
                if band.from == .bottom { held.reverse() }
                for u in held { unitBands[u].append(band.id) }
                // a count band's places are a quota (名额) the bulletin states; a fraction band's ties are its
                // documented reading (tied units in or out together)
                if band.count != nil && held.count > k { overfull.append(Overfull(band: band.id, group: g, places: k, units: held)) }
            }
        }
        self.order = order
        self.rank = rank
        self.bands = unitBands
        self.places = places
        self.overfull = overfull
    }

    /// A top or bottom band's places in a group of `size` units: its count, or its fraction of the size
    /// (exact, rounded as the band says), at least `at_least`.
    public static func places(of band: Policy.Band, groupSize size: Int) -> Int {
        if let count = band.count { return count }
        let scaled = Points(band.fraction).micro * Int64(size)   // the places, in millionths
        var k: Int64
        switch band.round ?? .floor {
        case .floor: k = scaled / Points.scale
        case .ceil: k = (scaled + Points.scale - 1) / Points.scale
        case .nearest: k = (scaled + Points.scale / 2) / Points.scale
        }
        return Swift.max(Int(k), band.atLeast ?? 0)
    }
}
