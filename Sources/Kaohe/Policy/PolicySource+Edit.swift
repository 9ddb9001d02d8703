extension PolicySource {
    /// A policy edited: its new text and the policy loaded from it.
    public struct Edited: Sendable {
        public var bytes: [UInt8]
        public var policy: Policy
    }

    /// `original` with `edits` written into its text, loaded in a sandbox under `limits` (as `kaohe check`
    /// loads a file, so its validation refuses bad values), checked for the errors `kaohe check` reports
    /// that the original does not have, and compared with the original by `PolicyDiff`: the edited policy
    /// must differ in exactly the edited values, each now the value asked for. What is previewed with the
    /// result is what saving `bytes` would give.
    public static func edited(_ original: Policy, _ edits: [PolicyEdit], limits: SandboxLimits = SandboxLimits()) throws(PolicyEditError) -> Edited {
        let source = try PolicySource(bytes: original.sourceBytes, path: original.path)
        let bytes = try source.applying(edits)
        let policy: Policy
        do {
            policy = try PolicyLoader.load(bytes: bytes, path: original.path, limits: limits)
        } catch {
            let diagnostics = (error as? PolicyError)?.diagnostics
                ?? [Diagnostic(file: original.path, code: "internal", message: "internal error: \(error)")]
            throw PolicyEditError(.invalid, edit: culprit(original, edits, limits: limits), diagnostics: diagnostics)
        }
        let known = Set(PolicyCheck.errors(original).map(\.message))
        let new = PolicyCheck.errors(policy).filter { !known.contains($0.message) }
        if !new.isEmpty {
            throw PolicyEditError(.invalid, edit: edits.count == 1 ? edits[0] : nil, diagnostics: new)
        }
        try verify(original, policy, edits)
        return Edited(bytes: bytes, policy: policy)
    }

    /// The first edit that alone makes the policy fail to load (nil when only their combination does).
    private static func culprit(_ original: Policy, _ edits: [PolicyEdit], limits: SandboxLimits) -> PolicyEdit? {
        if edits.count == 1 { return edits[0] }
        guard let source = try? PolicySource(bytes: original.sourceBytes, path: original.path) else { return nil }
        return edits.first { edit in
            guard let bytes = try? source.applying([edit]) else { return true }
            return (try? PolicyLoader.load(bytes: bytes, path: original.path, limits: limits)) == nil
        }
    }

    /// The diff of the two policies is exactly the edits that change a value, each to the value asked for.
    private static func verify(_ old: Policy, _ new: Policy, _ edits: [PolicyEdit]) throws(PolicyEditError) {
        let diff = PolicyDiff(old: old, new: new)
        var expected: [String: PolicyEdit] = [:]
        func key(_ area: String, _ subject: String, _ field: String) -> String { "\(area)\u{0}\(subject)\u{0}\(field)" }
        for edit in edits {
            let now: JSONValue?
            let k: String
            switch edit.target {
            case .policy:
                (now, k) = (edit.path.value(in: new.params), key("params", "", "params.\(edit.path)"))
                if edit.path.value(in: old.params) == edit.value { continue }
            case .rule(let id):
                (now, k) = (new.rule(id).flatMap { edit.path.value(in: $0.params) }, key("rule", id, "params.\(edit.path)"))
                if old.rule(id).flatMap({ edit.path.value(in: $0.params) }) == edit.value { continue }
            case .band(let id):
                (now, k) = (bandValue(new, id, edit.path.description), key("band", id, edit.path.description))
                if bandValue(old, id, edit.path.description) == edit.value { continue }
            }
            guard now == edit.value else {
                throw PolicyEditError(.unexpectedChange, edit: edit, file: old.path, line: nil,
                                      "\(edit): the edited policy holds \(now?.text(bare: false) ?? "no value") there, not \(edit.value.text(bare: false))",
                                      hint: "the policy computes this value after reading it; edit the policy file instead")
            }
            expected[k] = edit
        }
        let changed = diff.changes.filter { expected[key($0.area, $0.subject, $0.field)] == nil }
        if let c = changed.first {
            throw PolicyEditError(.unexpectedChange, edit: edits.count == 1 ? edits[0] : nil, file: old.path, line: nil,
                                  "the edit also changed \(c.area) \(c.subject) \(c.field) (\(c.old ?? "—") → \(c.new ?? "—")); kaohe previews only edits that change exactly the values asked for",
                                  hint: "edit the policy file instead")
        }
    }

    /// A band's editable field as a JSON value (nil when the band or the field is absent).
    static func bandValue(_ p: Policy, _ id: String, _ field: String) -> JSONValue? {
        guard let b = p.bands.first(where: { $0.id == id }) else { return nil }
        switch field {
        case "fraction": return .number(b.fraction)
        case "count": return b.count.map { .number(Double($0)) }
        case "min_total": return b.minTotal.map(JSONValue.number)
        case "max_total": return b.maxTotal.map(JSONValue.number)
        default: return nil
        }
    }
}
