import Foundation
import Kaohe

/// The downloads: the bulletin (HTML, printable, without the workbench's bar), the results as xlsx (as
/// `kaohe score --format xlsx` writes them), and a unit's blank self-check form (self-check policies only,
/// as `kaohe form` writes it).
extension Workbench {
    /// A file to download: its bytes, type and name.
    struct Download: Sendable {
        var bytes: Data
        var contentType: String
        var filename: String
    }

    enum DownloadKind: String, Sendable, CaseIterable { case bulletin, xlsx, form }

    func download(_ kind: DownloadKind, policy: String, data: String, unit: String?) async throws -> Download {
        let s = try await scored(policy: policy, data: data)
        let p = s.sheet.policy
        let stem = Workbench.fileStem(p.id)
        return try await pool.run {
            switch kind {
            case .bulletin:
                return Download(bytes: Data(ScoreReport.render(s.sheet, format: .html).utf8), contentType: "text/html; charset=utf-8",
                                filename: "\(stem)-bulletin.html")
            case .xlsx:
                return Download(bytes: try XLSXScoreReport.workbook(s.sheet).data(),
                                contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename: "\(stem).xlsx")
            case .form:
                guard p.selfcheck != nil else {
                    throw WorkbenchError(status: 422, code: "form.no-selfcheck",
                                         "\(s.policy): the policy has no self-check table (policy field `selfcheck`), so it has no form")
                }
                guard let unit else { throw WorkbenchError.badRequest("page.missing-query", "a form is one unit's: give ?unit=…") }
                let u: Int
                do { u = try Assessment.unit(unit, in: s.sheet.data) } catch let e as UnitLookupError {
                    throw WorkbenchError(status: 404, code: e.code, e.message, diagnostics: [e.diagnostic])
                }
                let id = s.sheet.data.unitIDs[u]
                let form = SelfCheckForms.form(policy: p, unitID: id, unitName: s.sheet.data.names[u], data: s.sheet.data)
                return Download(bytes: try form.workbook().data(),
                                contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                filename: "\(stem)-\(Workbench.fileStem(id)).xlsx")
            }
        }
    }

    /// A name safe in a Content-Disposition header: ASCII letters, digits, '.', '-', '_'; anything else '_'.
    static func fileStem(_ s: String) -> String {
        String(s.unicodeScalars.map { u in
            u.isASCII && (u.properties.isAlphabetic || ("0"..."9").contains(u) || u == "-" || u == "_" || u == ".") ? Character(u) : "_"
        })
    }
}
