import Foundation

/// Self-check forms (自查评分表) for a self-check policy: the blank form for a unit, and filled forms read
/// back as the rows of the policy's self-check table.
public enum SelfCheckForms {
    /// The form of one unit: one row per rule, with its text, maximum and target(s).
    public static func form(policy: Policy, unitID: String, unitName: String, data: Dataset?) -> SelfCheckForm {
        let targets = countyTargets(data: data, unitID: unitID)
        let rows = policy.rules.map { rule -> SelfCheckForm.Row in
            SelfCheckForm.Row(indicator: rule.id, content: rule.title, maxPoints: rule.max ?? 0,
                              target: targetText(rule, targets[rule.id] ?? [:]))
        }
        return SelfCheckForm(unitID: unitID, unitName: unitName, title: "\(policy.title) \(policy.year) 自查评分表", rows: rows)
    }

    /// "技能大比武、创新创效活动（次） 3；…" from the rule's parts, with the unit's own targets where given.
    static func targetText(_ rule: Policy.Rule, _ own: [String: String]) -> String {
        guard case .object(let params) = rule.params, case .array(let parts)? = params["parts"] else { return "" }
        return parts.compactMap { part -> String? in
            guard case .object(let o) = part, case .string(let id)? = o["id"] else { return nil }
            let label: String
            if case .string(let l)? = o["label"] { label = l } else { label = id }
            if let t = own[id] { return "\(label) \(t)" }
            if case .number(let t)? = o["target"] { return "\(label) \(JSONValue.numberText(t))" }
            return label
        }.joined(separator: "；")
    }

    /// The unit's own targets from a `targets` table (indicator, part, target), if the data has one.
    static func countyTargets(data: Dataset?, unitID: String) -> [String: [String: String]] {
        guard let data, let u = data.index(ofUnit: unitID),
              let t = data.tables.firstIndex(where: { $0.name == "targets" }) else { return [:] }
        let cols = data.tables[t].columns.map(\.name)
        guard let ic = cols.firstIndex(of: "indicator"), let pc = cols.firstIndex(of: "part"),
              let tc = cols.firstIndex(of: "target") else { return [:] }
        var out: [String: [String: String]] = [:]
        for row in data.rows(table: t, unit: u) {
            out[data.cell(table: t, row: row, column: ic), default: [:]][data.cell(table: t, row: row, column: pc)] =
                data.cell(table: t, row: row, column: tc)
        }
        return out
    }

    /// Filled forms as CSV text for the policy's self-check table (so they load like any CSV file).
    /// A row's single figure (实际完成) goes to the rule's only part; rules with several parts take their
    /// figures from the verified results.
    static func csv(policy: Policy, input: Policy.Input, files: [String]) throws -> [UInt8] {
        guard let spec = policy.selfcheck else { return [] }
        let names = input.columns.map(\.name)
        var text = names.joined(separator: ",") + "\n"
        var problems: [Diagnostic] = []
        for file in files {
            let filled: (unitID: String, rows: [SelfCheckForm.FilledRow])
            do {
                filled = try SelfCheckForm.read(file: file)
            } catch let e as DataError {
                problems += e.diagnostics
                continue
            }
            for row in filled.rows {
                var single: String?
                if let rule = policy.rule(row.indicator), case .object(let params) = rule.params,
                   case .array(let parts)? = params["parts"], parts.count == 1,
                   case .object(let o) = parts[0], case .string(let id)? = o["id"] { single = id }
                let values: [String: String] = [
                    "unit_id": filled.unitID,
                    spec.indicator ?? "indicator": row.indicator,
                    "part": single ?? "",
                    "actual": single != nil ? (row.actual.map { JSONValue.numberText($0) } ?? "") : "",
                    spec.score ?? "self_score": row.selfScore.map { JSONValue.numberText($0) } ?? "",
                    spec.completed ?? "completed": row.completed ?? "",
                    spec.reason ?? "reason": row.reason ?? "",
                ]
                text += names.map { CSVText.quoted(values[$0] ?? "") }.joined(separator: ",") + "\n"
            }
        }
        if !problems.isEmpty { throw DataError(diagnostics: problems) }
        return Array(text.utf8)
    }
}
