import Foundation
import Kaohe

/// `POST /api/upload`'s body: `{"policy": "policies/ganzhou/2023.lua", "name": "2026-spring", "files":
/// [{"name": "units.csv", "base64": "…"}, …]}`: the files of a new data set (CSV tables, workbooks, filled
/// self-check forms), read by the page from the files the user picked.
struct UploadRequest: Decodable, Sendable {
    struct File: Decodable, Sendable {
        var name: String
        /// The file's bytes (JSON carries them as base64).
        var base64: Data
    }

    var policy: String
    var name: String
    var files: [File]

    /// The most files one upload may hold, and the largest one.
    static let maxFiles = 200
    static let maxFileBytes = 16 << 20

    static func decode(_ bytes: [UInt8]) throws(WorkbenchError) -> UploadRequest {
        try WhatIfRequest.decode(UploadRequest.self, bytes,
                                 shape: "an upload ({\"policy\": path, \"name\": new data set, \"files\": [{\"name\": file name, \"base64\": bytes}]})")
    }

    /// Refuses what cannot become a data set folder: a name or file name that is not one plain name, a file
    /// that is not .csv or .xlsx, the same name twice, too many or too large files.
    func validate() throws(WorkbenchError) {
        guard Workbench.isPlainName(name) else {
            throw WorkbenchError(status: 400, code: "upload.bad-name", "the data set's name '\(name)' must be one plain folder name (like 2026-spring)",
                                 param: ("upload", "name"))
        }
        guard !files.isEmpty else { throw .badRequest("upload.no-files", "the upload holds no files; pick the data set's CSV files, workbooks or forms") }
        guard files.count <= UploadRequest.maxFiles else {
            throw WorkbenchError(status: 413, code: "upload.too-many-files", "\(files.count) files in one upload; at most \(UploadRequest.maxFiles)")
        }
        var seen: Set<String> = []
        for f in files {
            let lower = f.name.lowercased()
            guard Workbench.isPlainName(f.name), lower.hasSuffix(".csv") || lower.hasSuffix(".xlsx") else {
                throw .badRequest("upload.bad-file-name", "'\(f.name)': a data set holds .csv and .xlsx files with plain names (no folders, not hidden)")
            }
            guard seen.insert(lower).inserted else { throw .badRequest("upload.duplicate-file", "'\(f.name)' is in the upload twice") }
            guard f.base64.count <= UploadRequest.maxFileBytes else {
                throw WorkbenchError(status: 413, code: "upload.file-too-large", "'\(f.name)' is \(f.base64.count) bytes; at most \(UploadRequest.maxFileBytes) per file")
            }
        }
    }
}
