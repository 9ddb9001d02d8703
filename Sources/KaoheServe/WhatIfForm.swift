import Kaohe

/// The what-if page's form: every number, string and true/false in the params of each rule, in the policy's
/// own params and in its bands' fraction, count and score lines, as the request names it (`key`, `path`).
/// A value is editable only where `PolicySource` finds it written as a literal in the text; any other one
/// (a local, `LEVEL[x]`, a call, rules built by code) is shown read-only with the reason it gives.
struct WhatIfForm: Sendable {
    struct Field: Sendable {
        /// The request's key and path: `study` / `tiers[2].below`, `policy` / `x`, `bands` / `top20.fraction`.
        var key: String
        var path: String
        /// The value the policy holds (nil when the loaded policy has none to show).
        var value: JSONValue?
        /// Why the value cannot be edited here; nil when it can.
        var readOnly: String?
    }

    struct Section: Sendable {
        var key: String
        var title: String
        var fields: [Field]
    }

    var sections: [Section]

    init(_ policy: Policy, words: WorkbenchLabels) {
        let source: Result<PolicySource, PolicyEditError>
        do { source = .success(try PolicySource(bytes: policy.sourceBytes, path: policy.path)) } catch { source = .failure(error) }
        func field(_ edit: PolicyEdit, _ value: JSONValue?) -> Field? {
            let (key, path) = WhatIfRequest.field(of: edit)
            do {
                let located = try source.get().locate(edit)
                return Field(key: key, path: path, value: value ?? located.value, readOnly: nil)
            } catch {
                // a band field the source does not write is not offered (the band has no such field)
                if case .band = edit.target, error.reason == .unknownParam { return nil }
                return Field(key: key, path: path, value: value, readOnly: error.diagnostics.first?.message ?? "\(error)")
            }
        }
        func fields(_ target: PolicyEdit.Target, _ params: JSONValue) -> [Field] {
            WhatIfForm.leaves(params).compactMap { field(PolicyEdit(target, $0.path, $0.value), $0.value) }
        }
        var sections: [Section] = []
        for rule in policy.rules {
            let f = fields(.rule(rule.id), rule.params)
            if !f.isEmpty {
                sections.append(Section(key: rule.id, title: [rule.citation, rule.title].filter { !$0.isEmpty }.joined(separator: " "), fields: f))
            }
        }
        let own = fields(.policy, policy.params)
        if !own.isEmpty { sections.append(Section(key: WhatIfRequest.policyKey, title: words.policyParams, fields: own)) }
        let bandFields = policy.bands.flatMap { band in
            ["fraction", "count", "min_total", "max_total"].compactMap { name in
                field(PolicyEdit(.band(band.id), ParamPath([.key(name)]), .null), nil)
            }
        }
        if !bandFields.isEmpty { sections.append(Section(key: WhatIfRequest.bandsKey, title: words.bands, fields: bandFields)) }
        self.sections = sections
    }

    /// The numbers, strings and true/false values inside `params`, with their paths: keys sorted, list
    /// items in order (1-based, as `kaohe diff` writes them).
    static func leaves(_ params: JSONValue) -> [(path: ParamPath, value: JSONValue)] {
        var out: [(ParamPath, JSONValue)] = []
        func walk(_ v: JSONValue, _ trail: [ParamPath.Component]) {
            switch v {
            case .object(let o): for k in o.keys.sorted() { walk(o[k]!, trail + [.key(k)]) }
            case .array(let a): for (i, x) in a.enumerated() { walk(x, trail + [.index(i + 1)]) }
            case .null: return
            case .bool, .number, .string: if !trail.isEmpty { out.append((ParamPath(trail), v)) }
            }
        }
        walk(params, [])
        return out
    }
}
