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
public struct RankingResult: Sendable {
    public let order: [Int]
    public let rank: [Int]
    /// Band ids per unit. History bands are added by `Scoresheet.addHistoryBands`.
    public internal(set) var bands: [[String]]

    public init(totals: [Points], unitIDs: [String], ranking: Policy.Ranking, bands: [Policy.Band]) {
        let n = totals.count
        let ids = unitIDs.map { Array($0.utf8) }
        let order = (0..<n).sorted { a, b in
            if totals[a] != totals[b] { return totals[a] > totals[b] }
            return ids[a].lexicographicallyPrecedes(ids[b])
        }
        var rank = [Int](repeating: 0, count: n)
        var higher = [Int](repeating: 0, count: n)   // units strictly higher
        var lower = [Int](repeating: 0, count: n)    // units strictly lower
        var i = 0, distinct = 0
        while i < n {
            var j = i
            while j < n && totals[order[j]] == totals[order[i]] { j += 1 }
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
