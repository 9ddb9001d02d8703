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

    /// File extensions of workbooks kaohe cannot read, which a unit may send its form as.
    static let unreadableExtensions: Set<String> = ["xls", "ods", "et", "xlsm", "xlsb"]

    /// Warnings for a self-check policy's data: each unit with no rows in the self-check table (`where_`
    /// names the folder of forms, or the CSV file), with a form file it probably sent in a format kaohe
    /// cannot read; and such files that name no unit.
    static func warnings(policy: Policy, data: Dataset, where_: String, folder: String?) -> [DataWarning] {
        guard let spec = policy.selfcheck, let t = data.tables.firstIndex(where: { $0.name == spec.table }) else { return [] }
        let unreadable = folder.map { f in
            ((try? FileManager.default.contentsOfDirectory(atPath: f)) ?? []).filter {
                !$0.hasPrefix("~$") && !$0.hasPrefix(".") && unreadableExtensions.contains(($0 as NSString).pathExtension.lowercased())
            }.sorted()
        } ?? []
        var claimed = Set<String>()
        var out: [DataWarning] = []
        for u in 0..<data.unitCount where data.rows(table: t, unit: u).isEmpty {
            let id = data.unitIDs[u], name = data.names[u]
            let file = unreadable.first { f in
                let base = (f as NSString).deletingPathExtension
                return base.contains(id) || (!name.isEmpty && base.contains(name))
            }
            if let file { claimed.insert(file) }
            out.append(DataWarning(kind: .notSubmitted, unit: id, file: where_, unreadable: file))
        }
        for f in unreadable where !claimed.contains(f) {
            out.append(DataWarning(kind: .unreadableForm, unit: nil, file: (folder! as NSString).appendingPathComponent(f)))
        }
        return out
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
        var formOf: [String: String] = [:]
        for file in files {
            let filled: (unitID: String, rows: [SelfCheckForm.FilledRow])
            do {
                filled = try SelfCheckForm.read(file: file)
            } catch let e as DataError {
                problems += e.diagnostics
                continue
            }
            // two forms for one unit (a re-download or a resend saves "GY03-朝天区(1).xlsx" beside the first):
            // adding them up would double the unit's claims, and kaohe cannot tell which one is meant
            if let first = formOf[filled.unitID] {
                let a = (first as NSString).lastPathComponent, b = (file as NSString).lastPathComponent
                problems.append(Diagnostic(file: file, code: "form.duplicate-form", message: "two self-check forms for unit '\(filled.unitID)': \(a) and \(b) "
                    + "(a copy saved again or sent twice); kaohe does not add them up or pick one. Keep the form the unit meant "
                    + "and move the other out of the folder"))
                continue
            }
            formOf[filled.unitID] = file
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
