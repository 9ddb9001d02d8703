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

    public let unit: Int
    public let unitID: String
    public let name: String
    public let total: Points
    public let rank: Int
    public let bands: [String]
    public let rules: [RuleUse]

    public static func explain(_ sheet: Scoresheet, unit u: Int, limits: SandboxLimits = SandboxLimits()) throws -> Explanation {
        let policy = sheet.policy, data = sheet.data
        let sandbox = try LuaSandbox(limits: limits.lua)
        sandbox.tracing = true
        _ = try PolicyLoader.load(bytes: policy.sourceBytes, path: policy.path, in: sandbox)
        try sandbox.attach(data.view)
        let nr = policy.rules.count
        var points = [Double](repeating: 0, count: nr)
        var offsets = [Int64](repeating: 0, count: nr + 1)
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
                           rank: sheet.ranking.rank[u], bands: sheet.ranking.bands[u], rules: rules)
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
