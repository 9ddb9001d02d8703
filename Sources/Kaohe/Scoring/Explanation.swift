import Foundation
import LuaRuntime

/// Everything behind one unit's total: per rule, the points, the note, caps applied, and the params and
/// input cells the rule actually read (recorded by re-running the unit with tracing on).
public struct Explanation: Sendable {
    public struct CellUse: Sendable, Equatable {
        public var table: String
        public var file: String
        public var line: Int
        public var values: [(column: String, value: String)]

        public static func == (a: CellUse, b: CellUse) -> Bool {
            a.table == b.table && a.line == b.line && a.values.map { $0.column + "=" + $0.value } == b.values.map { $0.column + "=" + $0.value }
        }
    }

    public struct RuleUse: Sendable {
        public var item: Scoresheet.LineItem
        /// Param paths read, with their values, in first-read order.
        public var params: [(path: String, value: String)]
        /// Rows read, in first-read order, each with the columns read.
        public var cells: [CellUse]
    }

    /// Another unit with the same total, and what the policy's `tie_break` made of it.
    public struct Tie: Sendable, Equatable {
        public var unitID: String
        public var name: String
        /// The first tie-break key (a rule or section id) on which the two differ; nil: equal on every key
        /// (or the policy has none), so they share a rank.
        public var key: String?
        /// This unit's and the other's points on `key`.
        public var mine: Points?
        public var theirs: Points?
        /// Whether this unit ranks ahead of the other.
        public var ahead: Bool { key != nil && mine! > theirs! }
    }

    public let unit: Int
    public let unitID: String
    public let name: String
    /// The total as ranked (rounded as the policy's `total` says), and as the rules add up.
    public let total: Points
    public let exactTotal: Points
    /// The rank within the unit's group, the group's id and label (nil without `groups`) and its size.
    public let rank: Int
    public let group: String?
    public let groupLabel: String?
    public let groupSize: Int
    public let bands: [String]
    /// The vetoes that bar the unit from award bands.
    public let vetoes: [Scoresheet.VetoHit]
    public let rules: [RuleUse]
    /// The units of its group with the same total, in rank order (for a policy with `tie_break`; else empty).
    public let ties: [Tie]

    public static func explain(_ sheet: Scoresheet, unit u: Int, limits: SandboxLimits = SandboxLimits()) throws -> Explanation {
        let policy = sheet.policy, data = sheet.data
        let sandbox = try LuaSandbox(limits: limits.lua)
        sandbox.tracing = true
        _ = try PolicyLoader.load(bytes: policy.sourceBytes, path: policy.path, in: sandbox)
        try sandbox.attach(data.view)
        // a unit's slots: its rules', then its vetoes' (the vetoes are the scoresheet's already)
        let nr = policy.rules.count, slots = nr + policy.vetoes.count
        var points = [Double](repeating: 0, count: slots)
        var offsets = [Int64](repeating: 0, count: slots + 1)
        do {
            _ = try points.withUnsafeMutableBufferPointer { p in
                try offsets.withUnsafeMutableBufferPointer { o in
                    try sandbox.score(units: u..<(u + 1), points: p.baseAddress!, noteOffsets: o.baseAddress!)
                }
            }
        } catch {
            throw Scorer.translate(error, policy: policy, data: data)
        }
        // params
        var params = [[(String, String)]](repeating: [], count: nr)
        var seenParam = [Set<String>](repeating: [], count: nr)
        let json = try sandbox.tracedParams()
        if let entries = try? JSONDecoder().decode([[JSONValue]].self, from: Data(json.utf8)) {
            for e in entries where e.count == 3 {
                guard case .number(let r) = e[0], case .string(let path) = e[1] else { continue }
                let rule = Int(r)
                guard rule >= 0 && rule < nr, !seenParam[rule].contains(path) else { continue }
                seenParam[rule].insert(path)
                params[rule].append((path, e[2].text(bare: true)))
            }
        }
        // cells
        var cells = [[CellUse]](repeating: [], count: nr)
        var rowIndex = [[String: Int]](repeating: [:], count: nr)
        var seenCell = [Set<String>](repeating: [], count: nr)
        for a in sandbox.tracedAccesses() where a.rule >= 0 && a.rule < nr && a.column >= 0 {
            let key = "\(a.table):\(a.row)"
            let colName = data.tables[a.table].columns[a.column].name
            if seenCell[a.rule].contains(key + ":" + colName) { continue }
            seenCell[a.rule].insert(key + ":" + colName)
            let value = data.cell(table: a.table, row: a.row, column: a.column)
            if let i = rowIndex[a.rule][key] {
                cells[a.rule][i].values.append((colName, value))
            } else {
                rowIndex[a.rule][key] = cells[a.rule].count
                let info = data.tables[a.table]
                cells[a.rule].append(CellUse(table: info.name, file: info.file, line: Int(info.lines[a.row]),
                                             values: [(colName, value)]))
            }
        }
        let items = sheet.items(of: u)
        let rules = items.map { item -> RuleUse in
            guard let r = item.ruleIndex else { return RuleUse(item: item, params: [], cells: []) }
            return RuleUse(item: item, params: params[r].sorted { pathOrder($0.0, $1.0) }, cells: cells[r])
        }
        return Explanation(unit: u, unitID: data.unitIDs[u], name: data.names[u], total: sheet.totals[u],
                           exactTotal: sheet.exactTotals[u], rank: sheet.ranking.rank[u], group: sheet.group(of: u),
                           groupLabel: sheet.groupLabel(of: u), groupSize: sheet.groupSections.first { $0.units.contains(u) }?.units.count ?? sheet.unitCount,
                           bands: sheet.ranking.bands[u], vetoes: sheet.vetoes(of: u), rules: rules, ties: ties(sheet, u))
    }

    /// The units whose total equals u's, with the first tie-break key that separates each from u.
    static func ties(_ sheet: Scoresheet, _ u: Int) -> [Tie] {
        // only a policy with tie_break says how ties are settled (the reports of others stay as they were)
        guard !sheet.policy.tieBreak.isEmpty else { return [] }
        let keys = sheet.policy.tieBreak.map(\.id), mine = sheet.tieKeyPoints(of: u)
        let group = sheet.data.groupIndex.isEmpty ? nil : sheet.data.groupIndex[u]
        return sheet.order.filter { v in
            v != u && sheet.totals[v] == sheet.totals[u] && group.map { sheet.data.groupIndex[v] == $0 } != false
        }.map { v in
            let theirs = sheet.tieKeyPoints(of: v)
            let k = keys.indices.first { mine[$0] != theirs[$0] }
            return Tie(unitID: sheet.data.unitIDs[v], name: sheet.data.names[v], key: k.map { keys[$0] },
                       mine: k.map { mine[$0] }, theirs: k.map { theirs[$0] })
        }
    }

    /// "tiers.2.below" before "tiers.10.below": numeric parts compare as numbers.
    static func pathOrder(_ a: String, _ b: String) -> Bool {
        let x = a.split(separator: "."), y = b.split(separator: ".")
        for (p, q) in zip(x, y) where p != q {
            if let i = Int(p), let j = Int(q) { return i < j }
            return p < q
        }
        return x.count < y.count
    }
}
