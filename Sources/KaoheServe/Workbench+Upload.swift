import Foundation
import Kaohe

/// `POST /api/upload`: files picked in the browser made into a new data set under `data/<name>/`, only if
/// they load as the policy reads them.
extension Workbench {
    /// The largest upload body (the JSON, base64 included).
    static let maxUploadBody = 64 << 20

    /// Writes the files into a hidden folder inside the root, loads it as the policy reads data (every
    /// table validated against the policy's inputs, forms included), and only then moves it to
    /// `data/<name>` (never over an existing one: 409). Data that does not load is refused (422) with its
    /// diagnostics, files named as they will be (`data/<name>/units.csv:3:2`, `data/<name>/GY01.xlsx[自查]!D7`),
    /// and nothing is kept. Answers 201 `{"path", "units", "warnings", "page"}`.
    public func upload(_ body: [UInt8]) async throws -> [UInt8] {
        let request = try UploadRequest.decode(body)
        try request.validate()
        let policyPath = try root.resolve(request.policy, what: "policy")
        return try await pool.run { [self] in
            let policy = try self.policy(real: policyPath.real, relative: policyPath.relative)
            let folder = try folder(["data"])
            let relative = "data/\(request.name)"
            let target = folder.real + "/" + request.name
            if FileManager.default.fileExists(atPath: target) { throw Workbench.uploadExists(relative) }
            var template = Array((folder.real + "/.kaohe-upload-XXXXXX").utf8CString)
            guard mkdtemp(&template) != nil else {
                throw WorkbenchError(status: 500, code: "upload.cannot-write", "cannot create a folder in data/: \(String(cString: strerror(errno)))")
            }
            let temp = Workbench.path(template)
            var moved = false
            defer { if !moved { try? FileManager.default.removeItem(atPath: temp) } }
            for f in request.files {
                try Workbench.create(temp + "/" + f.name, f.base64, shown: relative + "/" + f.name)
            }
            let data: Dataset
            do {
                data = try Assessment.data(temp, policy: policy)
            } catch let error as DataError {
                throw WorkbenchError(status: 422, code: "upload.invalid", "the files are not data that \(policyPath.relative) can score; nothing was kept",
                                     diagnostics: root.relativized(WorkbenchRoot.renamed(error.diagnostics, temp + "/", relative + "/")))
            }
            // an empty folder made first: a data set that appeared meanwhile is not replaced
            guard mkdir(target, 0o755) == 0 else {
                if errno == EEXIST { throw Workbench.uploadExists(relative) }
                throw WorkbenchError(status: 500, code: "upload.cannot-write", "cannot create \(relative): \(String(cString: strerror(errno)))")
            }
            guard rename(temp, target) == 0 else {
                let reason = String(cString: strerror(errno))
                rmdir(target)
                throw WorkbenchError(status: 500, code: "upload.cannot-write", "cannot move the files to \(relative): \(reason)")
            }
            moved = true
            var w = JSONWriter()
            w.beginObject()
            w.field("path", string: relative)
            w.field("units") { $0.number(data.unitCount) }
            w.field("warnings") { $0.number(data.warnings.count) }
            w.field("page", string: WorkbenchPage.link("/score", [("policy", policyPath.relative), ("data", relative)]))
            w.endObject()
            w.raw("\n")
            return w.bytes
        }
    }

    static func uploadExists(_ relative: String) -> WorkbenchError {
        WorkbenchError(status: 409, code: "upload.exists", "\(relative) already exists; an upload makes a new data set (choose another name)",
                       param: ("upload", "name"))
    }
}
