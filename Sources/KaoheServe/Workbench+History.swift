import Foundation
import Kaohe

/// The history pages: the runs saved in the root's history database (`.kaohe/history.sqlite`, as
/// `kaohe score --save` run in the root writes it), and the comparison of two of them.
extension Workbench {
    /// The root's history, opened without creating it.
    private func history() throws -> RunStore {
        do {
            return try RunStore(path: root.real + "/" + RunStore.defaultPath, create: false)
        } catch let e as HistoryError {
            throw WorkbenchError(status: { if case .missing = e { 404 } else { 422 } }(), code: e.code, root.relativized(e.message),
                                 diagnostics: root.relativized([e.diagnostic]))
        }
    }

    /// `/history`: every saved run, newest first, with a form to compare two.
    public func historyPage() async throws -> String {
        // a root where no run was saved yet has no database: an empty history, not an error (nothing is created)
        let runs = try await listingPool.run { [self] () throws -> [RunSummary] in
            guard FileManager.default.fileExists(atPath: root.real + "/" + RunStore.defaultPath) else { return [] }
            return try history().list()
        }
        let c = context(.zh)
        let labels = Labels.forLanguage(.zh)
        return WorkbenchPage.page(title: c.words.history, c, language: .zh) { w in
            w.element("h1", text: "\(c.words.history) · \(RunStore.defaultPath)")
            if runs.isEmpty {
                w.element("p", text: labels.noRuns + "在此目录下运行 kaohe score … --save 保存一次评分后，记录列在这里。")
            }
            w.element("form", [("method", "get"), ("action", "/history/compare")]) { w in
                w.element("table", [("class", "wb-list runs")]) { w in
                    w.element("thead") { w in
                        w.element("tr") { w in
                            for h in ["A", "B"] + labels.runColumns { w.element("th", text: h) }
                        }
                    }
                    w.element("tbody") { w in
                        for r in runs {
                            w.element("tr", [("data-run", String(r.id))]) { w in
                                for side in ["a", "b"] {
                                    w.element("td") { $0.empty("input", [("type", "radio"), ("name", side), ("value", String(r.id))]) }
                                }
                                for cell in [String(r.id), HistoryTime.string(r.createdAt, milliseconds: false), r.policyID, String(r.policyYear),
                                             r.label ?? "", String(r.unitCount), HistoryReport.short(r.policySHA256), HistoryReport.short(r.dataSHA256)] {
                                    w.element("td", text: cell)
                                }
                            }
                            w.newline()
                        }
                    }
                }
                if runs.count >= 2 { w.element("button", [("type", "submit")], text: c.words.compare) }
            }
        }
    }

    /// `/history/compare?a=…&b=…`: `kaohe compare --run A --run B` as its HTML report.
    public func historyComparePage(a: String, b: String) async throws -> String {
        guard let ra = Int64(a), let rb = Int64(b) else {
            throw WorkbenchError.badRequest("page.bad-run", "runs are given by number (?a=1&b=2), as /history lists them")
        }
        let html = try await listingPool.run { [self] in
            do {
                return CompareReport.render(try Assessment.compare(runs: ra, rb, in: try history()), format: .html, language: .zh)
            } catch let e as HistoryError {
                throw WorkbenchError(status: 404, code: e.code, root.relativized(e.message), diagnostics: root.relativized([e.diagnostic]))
            }
        }
        return WorkbenchPage.framed(html, context(.zh))
    }
}
