/// Ranks and bands.
///
/// Ranking is by total, descending; tied units are listed by unit id (byte order of UTF-8, the same as code
/// point order). Competition ranking ("1224") gives a unit 1 + the number of units with a strictly higher
/// total; dense ranking ("1223", 中国式排名) gives 1 + the number of distinct higher totals.
///
/// Bands count from the top or the bottom by a fraction f of N units, k = floor(f·N) computed exactly:
/// a top band holds units with 1 + (units strictly higher) ≤ k, a bottom band units with
/// 1 + (units strictly lower) ≤ k. Both use strict counts, so tied units are always in or out together,
/// and under dense ranking the top band still counts units, not distinct totals.
///
/// With tie-break keys (`tie_break`: rules' or sections' points, in turn), units with equal totals are ordered
/// by the first key that differs; "higher" and "tied" then mean on the total and every key.
public struct RankingResult: Sendable {
    public let order: [Int]
    public let rank: [Int]
    /// Band ids per unit (history bands are settled by the scoresheet).
    public internal(set) var bands: [[String]]

    /// `tieKeys[u]`: unit u's points on each tie-break key, in the policy's order (empty without `tie_break`).
    public init(totals: [Points], tieKeys: [[Points]] = [], unitIDs: [String], ranking: Policy.Ranking, bands: [Policy.Band]) {
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
        let order = (0..<n).sorted { a, b in
            let c = compare(a, b)
            if c != 0 { return c < 0 }
            return ids[a].lexicographicallyPrecedes(ids[b])
        }
        var rank = [Int](repeating: 0, count: n)
        var higher = [Int](repeating: 0, count: n)   // units strictly higher
        var lower = [Int](repeating: 0, count: n)    // units strictly lower
        var i = 0, distinct = 0
        while i < n {
            var j = i
            while j < n && compare(order[j], order[i]) == 0 { j += 1 }
            distinct += 1
            for k in i..<j {
                let u = order[k]
                higher[u] = i
                lower[u] = n - j
                rank[u] = ranking == .competition ? i + 1 : distinct
            }
            i = j
        }
        var unitBands = [[String]](repeating: [], count: n)
        for band in bands where !band.isHistory {
            let k = Points.floorFraction(band.fraction, of: n)
            for u in 0..<n {
                let position = 1 + (band.from == .top ? higher[u] : lower[u])
                if position <= k { unitBands[u].append(band.id) }
            }
        }
        self.order = order
        self.rank = rank
        self.bands = unitBands
    }
}
