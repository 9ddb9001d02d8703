/// A unit's own (self-check) scores set against the verified ones, row by row, for policies that declare a
/// `selfcheck` table (Guangyuan's 自查评分表): the difference, and the rows a reviewer must look at.
public struct SelfCheck: Sendable {
    public enum Problem: String, Sendable, CaseIterable {
        /// The unit claimed more than was verified.
        case overClaimed = "over-claimed"
        /// The unit claimed more than the row's maximum.
        case aboveMax = "above max"
        /// The row is not fully achieved and the unit gave no explanation (未完成情况说明).
        case unexplained = "unexplained"
        /// The unit gave no self-check score for the row.
        case unreported = "no self score"
        /// The unit's self-check scores for the row add up to more than kaohe keeps exactly (±`Points.limit`).
        case outOfRange = "self score out of range"
        /// The unit submitted nothing at all: no form, no rows in the self-check table.
        case notSubmitted = "not submitted"

        /// The problem in the report's language (`Labels`); in English, its raw value.
        public func label(_ l: Labels) -> String { l.problem(self) }
    }

    public struct Row: Sendable {
        public var rule: String
        public var citation: String
        public var title: String
        public var max: Double?
        public var selfScore: Points?
        public var verified: Points
        public var completed: String
        public var reason: String
        public var problems: [Problem]

        public var difference: Points? { selfScore.map { $0 - verified } }
    }

    public let unit: Int
    public let rows: [Row]
    /// Whether the unit has any row in the self-check table (a form, or rows of the CSV).
    public let submitted: Bool

    /// Self scores of all rows, or nil when the unit reported none.
    public var selfTotal: Points? {
        let scores = rows.compactMap(\.selfScore)
        return scores.isEmpty ? nil : scores.reduce(.zero, +)
    }

    /// The reconciliation of unit `u`, or nil when the policy has no self-check table.
    public init?(_ sheet: Scoresheet, unit u: Int) {
        guard let spec = sheet.policy.selfcheck,
              let t = sheet.data.tables.firstIndex(where: { $0.name == spec.table }) else { return nil }
        let info = sheet.data.tables[t]
        func column(_ name: String?) -> Int? { name.flatMap { n in info.columns.firstIndex { $0.name == n } } }
        let indicatorColumn = column(spec.indicator ?? "indicator"), scoreColumn = column(spec.score)
        let completedColumn = column(spec.completed), reasonColumn = column(spec.reason)
        var outOfRange = Set<String>()
        var scores: [String: Points] = [:], completed: [String: String] = [:], reasons: [String: String] = [:]
        for row in sheet.data.rows(table: t, unit: u) {
            guard let ic = indicatorColumn else { break }
            let indicator = sheet.data.cell(table: t, row: row, column: ic)
            // each score was checked within ±Points.limit when the data was read; thousands of rows for
            // one indicator could still overflow, and then the claim is unreadable, not a wrapped number
            if let sc = scoreColumn, let v = Double(sheet.data.cell(table: t, row: row, column: sc)),
               let claim = Points(checked: v) {
                if let sum = scores[indicator, default: .zero].adding(claim), abs(sum.doubleValue) <= Points.limit {
                    scores[indicator] = sum
                } else {
                    outOfRange.insert(indicator)
                }
            }
            if let cc = completedColumn, completed[indicator] == nil {
                let text = sheet.data.cell(table: t, row: row, column: cc)
                if !text.isEmpty { completed[indicator] = text }
            }
            if let rc = reasonColumn, reasons[indicator] == nil {
                let text = sheet.data.cell(table: t, row: row, column: rc)
                if !text.isEmpty { reasons[indicator] = text }
            }
        }
        var rows: [Row] = []
        let submitted = !sheet.data.rows(table: t, unit: u).isEmpty
        for item in sheet.items(of: u) {
            guard let r = item.ruleIndex else { continue }
            let rule = sheet.policy.rules[r]
            let claimed = outOfRange.contains(rule.id) ? nil : scores[rule.id]
            var problems: [Problem] = []
            if outOfRange.contains(rule.id) {
                problems.append(.outOfRange)
            } else if let claimed {
                if claimed > item.points { problems.append(.overClaimed) }
                if let max = rule.max, claimed > Points(max) { problems.append(.aboveMax) }
            } else {
                problems.append(submitted ? .unreported : .notSubmitted)
            }
            if let max = rule.max, item.points < Points(max), (reasons[rule.id] ?? "").isEmpty {
                problems.append(.unexplained)
            }
            rows.append(Row(rule: rule.id, citation: rule.citation, title: rule.title, max: rule.max, selfScore: claimed,
                            verified: item.points, completed: completed[rule.id] ?? "", reason: reasons[rule.id] ?? "",
                            problems: problems))
        }
        self.unit = u
        self.rows = rows
        self.submitted = submitted
    }
}
