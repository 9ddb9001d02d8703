import Foundation
import Kaohe

/// The pages about policies rather than one scoring: a policy's check, tests and diff with its parent
/// (where saving leads), the diff of two policies and the comparison of two on one data set.
extension Workbench {
    /// `/policy?policy=…[&data=…]`: `kaohe check`'s findings, `kaohe test`'s results (when a test file is
    /// beside it) and `kaohe diff` with the parent it records (with the units each change moves, on `data`).
    public func policyPage(policy: String, data: String?) async throws -> String {
        let policyPath = try root.resolve(policy, what: "policy")
        let dataPath = try data.map { d throws(WorkbenchError) in try root.resolve(d, what: "data") }
        let limits = configuration.limits
        let review = try await pool.run { [self] in
            let p = try self.policy(real: policyPath.real, relative: policyPath.relative)
            let findings = PolicyCheck.check(p, limits: limits)
            var tests: Result<String, WorkbenchError>?
            if let file = PolicyTestRun.testPath(forPolicy: policyPath.real), FileManager.default.fileExists(atPath: file) {
                do {
                    tests = .success(root.relativized(TestReport.render([try PolicyTestRun.run(testFile: file, limits: limits)], format: .text, coverage: false)))
                } catch {
                    let e = WorkbenchError.from(error)
                    tests = .failure(WorkbenchError(status: e.status, code: e.code, e.message, diagnostics: root.relativized(e.diagnostics)))
                }
            }
            // the parent, as `kaohe new` records it: a file beside this one
            var diff: Result<String, WorkbenchError>?
            if let file = p.parent?.file {
                let folder = (policyPath.relative as NSString).deletingLastPathComponent
                do {
                    let parentPath = try root.resolve(folder.isEmpty ? file : folder + "/" + file, what: "the parent policy")
                    diff = .success(try diffHTML(try self.policy(real: parentPath.real, relative: parentPath.relative), p, data: dataPath))
                } catch {
                    diff = .failure(WorkbenchError.from(error))
                }
            }
            return (policy: p, findings: findings, tests: tests, diff: diff)
        }
        let c = context(review.policy.language, policy: policyPath.relative, data: dataPath?.relative)
        let words = c.words
        var lead = HTMLWriter()
        lead.element("section", [("class", "review")]) { w in
            w.element("h1", text: "\(review.policy.title) \(review.policy.year) · \(policyPath.relative)")
            w.element("h2", text: words.check)
            if review.findings.isEmpty { w.element("p", [("class", "check-clean")], text: words.checkClean) }
            WorkbenchPage.diagnostics(&w, review.findings, words)
            w.element("h2", text: words.tests)
            switch review.tests {
            case nil: w.element("p", text: words.noTests)
            case .success(let text)?: w.element("pre", [("class", "test-output")], text: text)
            case .failure(let e)?:
                w.element("p", [("class", "error")], text: e.message)
                WorkbenchPage.diagnostics(&w, e.diagnostics, words)
            }
            w.element("h2", text: words.diffWithParent)
            switch review.diff {
            case nil: w.element("p", text: words.noParent)
            case .failure(let e)?:
                w.element("p", [("class", "error"), ("data-code", e.code)], text: e.message)
                WorkbenchPage.diagnostics(&w, e.diagnostics, words)
            case .success?: break
            }
        }
        if case .success(let diff)? = review.diff { return WorkbenchPage.framed(diff, c, lead: lead) }
        return WorkbenchPage.page(title: words.review, c, language: review.policy.language) { $0.append(lead) }
    }

    /// `/diff?old=…&new=…[&data=…]`: `kaohe diff --format html` (with the units each change moves, on `data`).
    public func diffPage(old: String, new: String, data: String?) async throws -> String {
        let a = try root.resolve(old, what: "old policy"), b = try root.resolve(new, what: "new policy")
        let dataPath = try data.map { d throws(WorkbenchError) in try root.resolve(d, what: "data") }
        let (html, language) = try await pool.run { [self] in
            let pb = try policy(real: b.real, relative: b.relative)
            return (try diffHTML(try policy(real: a.real, relative: a.relative), pb, data: dataPath), pb.language)
        }
        return WorkbenchPage.framed(html, context(language, policy: b.relative, data: dataPath?.relative))
    }

    /// `/compare?old=…&new=…&data=…`: `kaohe compare --format html` of two policies on one data set.
    public func comparePage(old: String, new: String, data: String) async throws -> String {
        let a = try root.resolve(old, what: "old policy"), b = try root.resolve(new, what: "new policy")
        let d = try root.resolve(data, what: "data")
        let (html, language) = try await pool.run { [self] in
            let pb = try policy(real: b.real, relative: b.relative)
            let c = try compared(try policy(real: a.real, relative: a.relative), pb, on: d)
            return (CompareReport.render(c, format: .html, language: pb.language), pb.language)
        }
        return WorkbenchPage.framed(html, context(language, policy: b.relative, data: d.relative))
    }

    /// The two policies scored on `data` and compared (each sheet kept, as the API keeps them).
    private func compared(_ old: Policy, _ new: Policy, on data: (real: String, relative: String)) throws -> Comparison {
        Assessment.compare(try sheet(old, data: try self.data(real: data.real, policy: old)),
                           try sheet(new, data: try self.data(real: data.real, policy: new)))
    }

    private func diffHTML(_ old: Policy, _ new: Policy, data: (real: String, relative: String)?) throws -> String {
        DiffReport.render(PolicyDiff(old: old, new: new), format: .html, comparison: try data.map { try compared(old, new, on: $0) })
    }
}
