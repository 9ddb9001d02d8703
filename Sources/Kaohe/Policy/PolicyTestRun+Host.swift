/// The host's side of a policy test's `rank { ... }` and of `score { ... }`'s rounded total: the harness
/// sends the units it scored, and the ranking comes from `RankingResult`, the code `kaohe score` ranks
/// with, so a test cannot pass on a ranking kaohe would not print.
extension PolicyTestRun {
    /// Answers one request, as lines of tab-separated fields:
    /// - `total\t<value>` → the total rounded as the policy's `total` says;
    /// - `rank` then a line per unit `id\tgroup\ttotal\tvetoed(0|1)\tkey…` → a line per unit
    ///   `id\trank\tgroup\ttotal text\tband,band`.
    /// A request the host cannot serve gets `error\t<message>`.
    static func answer(_ request: String, policy: Policy) -> String {
        var lines = request.split(separator: "\n").map(String.init)
        guard !lines.isEmpty else { return "error\tan empty request" }
        let head = lines.removeFirst()
        func rounded(_ text: Substring) -> Points? {
            guard let v = Double(text), let p = Points(checked: v) else { return nil }
            return policy.total.map { p.rounded(decimals: $0.decimals, $0.rounding) } ?? p
        }
        if head.hasPrefix("total\t") {
            guard let p = rounded(head.dropFirst("total\t".count)) else { return "error\tthe total is not a number kaohe keeps" }
            return p.description
        }
        guard head == "rank" else { return "error\tunknown request" }
        var ids: [String] = [], groupIndex: [Int] = [], totals: [Points] = [], vetoed: [Bool] = [], keys: [[Points]] = []
        // earlier years' bands the test gives (`history = { [2024] = { A = { "bottom20" } } }`): `history\tyear\tunit\tband,band`
        var earlier: [Int: [String: [String]]] = [:]
        for line in lines {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            if f.first == "history" {
                guard f.count == 4, let year = Int(f[1]) else { return "error\tmalformed history line" }
                earlier[year, default: [:]][String(f[2])] = f[3].split(separator: ",").map(String.init)
                continue
            }
            guard f.count == 4 + policy.tieBreak.count, let total = rounded(f[2]) else { return "error\tmalformed unit line" }
            ids.append(String(f[0]))
            if let groups = policy.groups {
                guard let g = groups.order.firstIndex(of: String(f[1])) else {
                    return "error\tunit '\(f[0])' has \(f[1].isEmpty ? "no group" : "'\(f[1])'") in column '\(groups.by)', which is none "
                        + "of the policy's groups (\(groups.order.map { "'\($0)'" }.joined(separator: ", ")))"
                }
                groupIndex.append(g)
            }
            totals.append(total)
            vetoed.append(f[3] == "1")
            keys.append(f[4...].map { Double($0).flatMap { Points(checked: $0) } ?? .zero })
        }
        var ranking = RankingResult(totals: totals, tieKeys: policy.tieBreak.isEmpty ? [] : keys, unitIDs: ids,
                                    ranking: policy.ranking, bands: policy.bands, group: groupIndex,
                                    groupCount: policy.groups?.order.count ?? 1, vetoed: vetoed)
        // as scoring with a history: a year the test gives no bands for has no stored run
        try? Scoresheet.addHistoryBands(to: &ranking, policy: policy, unitIDs: ids, barred: vetoed) { earlier[$0] }
        let text = { (p: Points) in policy.total.map { p.fixed(decimals: $0.decimals) } ?? p.description }
        return ranking.order.map { u in
            [ids[u], String(ranking.rank[u]), policy.groups.map { $0.order[groupIndex[u]] } ?? "", text(totals[u]),
             ranking.bands[u].joined(separator: ",")].joined(separator: "\t")
        }.joined(separator: "\n")
    }
}
