import Foundation
import Kaohe

/// The workbench's pages: each one loads and scores through the same caches as the API (in `ScoringPool`)
/// and renders with the library's reports, in the policy's language, inside `WorkbenchPage`'s shell.
extension Workbench {
    /// The bar's context for a page about `policy` on `data` (the units to pick from when the data is loaded).
    func context(_ language: Language, policy: String? = nil, data: String? = nil, units: Dataset? = nil, unit: String? = nil) -> WorkbenchPage.Context {
        WorkbenchPage.Context(csrf: csrfToken, words: WorkbenchLabels.forLanguage(language), policy: policy, data: data,
                              units: units.map { d in zip(d.unitIDs, d.names).map { ($0, $1) } } ?? [], unit: unit)
    }

    /// A policy and a data set, loaded and scored (the unedited policy's sheet is kept).
    func scored(policy: String, data: String) async throws -> (policy: String, data: String, sheet: Scoresheet) {
        let policyPath = try root.resolve(policy, what: "policy")
        let dataPath = try root.resolve(data, what: "data")
        let scored = try await pool.run { [self] in
            let p = try self.policy(real: policyPath.real, relative: policyPath.relative)
            return try self.sheet(p, data: try self.data(real: dataPath.real, policy: p))
        }
        return (policyPath.relative, dataPath.relative, scored)
    }

    /// `/`: the policies and data sets under the root, with links to score and what-if each pair.
    public func indexPage() async throws -> String {
        let (policies, datasets) = try await listingPool.run { [self] in (policyEntries(), datasetEntries()) }
        let language = policies.entries.lazy.compactMap { try? $0.policy.get().language }.first ?? .zh
        let c = context(language)
        let words = c.words
        return WorkbenchPage.page(title: words.home, c, language: language) { w in
            w.element("h1", text: words.workbench)
            w.element("h2", text: words.policies)
            if policies.entries.isEmpty { w.element("p", text: words.noPolicies) }
            w.element("table", [("class", "wb-list policies")]) { w in
                for entry in policies.entries {
                    w.element("tr", [("data-path", entry.path)]) { w in
                        w.element("td") { $0.element("code", text: entry.path) }
                        switch entry.policy {
                        case .success(let p):
                            w.element("td", text: "\(p.title) \(p.year)")
                            w.element("td") { w in
                                for d in datasets.entries where d.kind != .forms {
                                    let q = [("policy", Optional(entry.path)), ("data", Optional(d.path))]
                                    w.element("div") { w in
                                        w.text(d.path + "：")
                                        w.element("a", [("href", WorkbenchPage.link("/score", q))], text: words.score)
                                        w.text(" · ")
                                        w.element("a", [("href", WorkbenchPage.link("/whatif", q))], text: words.whatIf)
                                    }
                                }
                            }
                            w.element("td") { w in
                                w.element("a", [("href", WorkbenchPage.link("/policy", [("policy", entry.path)]))], text: words.review)
                                w.text(" · ")
                                w.element("a", [("href", WorkbenchPage.link("/upload", [("policy", entry.path)]))], text: words.upload)
                            }
                        case .failure(let error):
                            w.element("td", [("class", "minus")], text: words.loadFailed)
                            w.element("td", [("colspan", "2")]) { WorkbenchPage.diagnostics(&$0, error.diagnostics, words) }
                        }
                    }
                    w.newline()
                }
            }
            let loaded = policies.entries.filter { (try? $0.policy.get()) != nil }.map(\.path)
            let data = datasets.entries.filter { $0.kind != .forms }.map(\.path)
            if loaded.count >= 2 { Self.pairForm(&w, words, policies: loaded, data: data) }
            w.element("h2", text: words.datasets)
            if datasets.entries.isEmpty { w.element("p", text: words.noDatasets) }
            w.element("ul", [("class", "datasets")]) { w in
                for d in datasets.entries {
                    w.element("li", [("data-path", d.path)]) { w in
                        w.element("code", text: d.path)
                        w.text(" (\(d.kind.rawValue)\(d.forms.map { ", \($0) forms" } ?? ""))")
                    }
                }
            }
        }
    }

    /// Two policies (and a data set) to diff or compare: a GET form to `/diff` or `/compare`.
    private static func pairForm(_ w: inout HTMLWriter, _ words: WorkbenchLabels, policies: [String], data: [String]) {
        func select(_ w: inout HTMLWriter, _ name: String, _ label: String, _ options: [String], selected: Int, optional: Bool = false) {
            w.element("label") { w in
                w.text(label + " ")
                w.element("select", [("name", name)]) { w in
                    if optional { w.element("option", [("value", "")], text: "—") }
                    for (i, o) in options.enumerated() {
                        w.element("option", [("value", o)] + (i == selected ? [("selected", "selected")] : []), text: o)
                    }
                }
            }
            w.text(" ")
        }
        w.element("h2", text: "\(words.diff) · \(words.compare)")
        w.element("form", [("method", "get"), ("action", "/diff"), ("class", "pair")]) { w in
            select(&w, "old", words.oldPolicy, policies, selected: 0)
            select(&w, "new", words.newPolicy, policies, selected: 1)
            select(&w, "data", words.data, data, selected: 0, optional: true)
            w.element("button", [("type", "submit")], text: words.diff)
            w.text(" ")
            w.element("button", [("type", "submit"), ("formaction", "/compare")], text: words.compare)
        }
    }

    /// `/score`: the bulletin (ranking per group, bands, vetoes, the rules, every unit's notice).
    public func scorePage(policy: String, data: String) async throws -> String {
        let s = try await scored(policy: policy, data: data)
        let html = ScoreReport.render(s.sheet, format: .html)
        return WorkbenchPage.framed(html, context(s.sheet.policy.language, policy: s.policy, data: s.data, units: s.sheet.data))
    }

    /// `/unit`: one unit's notice (every rule with its article, points, note, caps, the params it read and
    /// the input rows behind it).
    public func unitPage(policy: String, data: String, unit: String) async throws -> String {
        let s = try await scored(policy: policy, data: data)
        let limits = configuration.limits
        let explanation = try await pool.run {
            do {
                return try Assessment.explain(s.sheet, unit: unit, limits: limits)
            } catch let e as UnitLookupError {
                throw WorkbenchError(status: 404, code: e.code, e.message, diagnostics: [e.diagnostic])
            }
        }
        let html = ExplainReport.render(explanation, sheet: s.sheet, format: .html)
        var c = context(s.sheet.policy.language, policy: s.policy, data: s.data, units: s.sheet.data, unit: explanation.unitID)
        c.forms = s.sheet.policy.selfcheck != nil
        return WorkbenchPage.framed(html, c)
    }

    /// `/upload`: the files of a new data set for `policy` (`UploadPage`).
    public func uploadPage(policy: String) async throws -> String {
        let path = try root.resolve(policy, what: "policy")
        let p = try await pool.run { [self] in try self.policy(real: path.real, relative: path.relative) }
        return UploadPage(policy: p, policyPath: path.relative, context: context(p.language, policy: path.relative)).render()
    }

    /// `/whatif`: the params form and the live results (`WhatIfPage`).
    public func whatIfPage(policy: String, data: String) async throws -> String {
        let s = try await scored(policy: policy, data: data)
        let p = s.sheet.policy
        return WhatIfPage(policy: p, policyPath: s.policy, dataPath: s.data,
                          context: context(p.language, policy: s.policy, data: s.data, units: s.sheet.data)).render()
    }
}
