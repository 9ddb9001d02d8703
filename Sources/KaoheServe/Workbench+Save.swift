import Foundation
import Kaohe

/// `POST /api/save`: the what-if's edits saved as next year's policy, as `kaohe new` derives one.
extension Workbench {
    /// Writes `policies/<jurisdiction>/<year>.lua` under the root: the policy's text with the edits made
    /// (`PolicySource.edited`, refused as a what-if is), then id, year and parent moved on by
    /// `PolicyDerivation` (the parent: the unedited file), and the parent's tests copied beside it as
    /// `kaohe new` copies them (a test file already there is kept). Never overwrites: a policy file that
    /// exists is refused (409), and the file appears whole or not at all (a temporary file, linked into
    /// place). Answers `{"path", "tests", "tests_kept", "page"}` with 201; `page`: the new policy's check,
    /// tests and diff.
    public func save(_ body: [UInt8]) async throws -> [UInt8] {
        let request = try SaveRequest.decode(body)
        let year = try request.validYear()
        let edits = try WhatIfRequest.edits(request.params)
        let policyPath = try root.resolve(request.policy, what: "policy")
        let dataPath = try request.data.map { path throws(WorkbenchError) in try root.resolve(path, what: "data").relative }
        return try await pool.run { [self] in
            let original = try policy(real: policyPath.real, relative: policyPath.relative)
            guard let jurisdiction = original.jurisdiction, Workbench.isPlainName(jurisdiction) else {
                throw WorkbenchError(status: 422, code: "save.no-jurisdiction",
                                     "the policy's jurisdiction \(original.jurisdiction.map { "'\($0)'" } ?? "is not set"); "
                                     + "saving writes policies/<jurisdiction>/<year>.lua, so it must be a plain name (like ganzhou)")
            }
            let edited = try PolicySource.edited(original, edits, limits: configuration.limits)
            let folder = try folder(["policies", jurisdiction])
            let target = (real: folder.real + "/\(year).lua", relative: "policies/\(jurisdiction)/\(year).lua")
            if FileManager.default.fileExists(atPath: target.real) { throw Workbench.exists(target.relative) }
            let derived = try PolicyDerivation.derived(from: original, text: edited.bytes, year: year, parentPath: policyPath.relative,
                                                       target: target.relative, limits: configuration.limits)
            try Workbench.create(target.real, Data(derived.text.utf8), shown: target.relative)
            var tests: String?, kept = false
            if let parentTests = PolicyTestRun.testPath(forPolicy: policyPath.real).flatMap(WorkbenchRoot.realpath), root.contains(parentTests),
               let body = FileManager.default.contents(atPath: parentTests),
               let testsReal = PolicyTestRun.testPath(forPolicy: target.real), let testsRelative = PolicyTestRun.testPath(forPolicy: target.relative) {
                tests = testsRelative
                let copy = Data(PolicyDerivation.tests([UInt8](body), parent: original, parentTests: root.relative(parentTests), target: target.relative))
                do {
                    try Workbench.create(testsReal, copy, shown: testsRelative)
                } catch let e as WorkbenchError where e.code == "save.exists" {
                    kept = true
                }
            }
            var w = JSONWriter()
            w.beginObject()
            w.field("path", string: target.relative)
            w.field("tests", string: tests)
            w.field("tests_kept") { $0.raw(kept ? "true" : "false") }
            w.field("page", string: WorkbenchPage.link("/policy", [("policy", target.relative), ("data", dataPath)]))
            w.endObject()
            w.raw("\n")
            return w.bytes
        }
    }

    /// A name that stays one folder: not empty, no '/', no NUL, not starting with '.'.
    static func isPlainName(_ s: String) -> Bool {
        !s.isEmpty && !s.hasPrefix(".") && !s.contains("/") && !s.contains("\0")
    }

    static func exists(_ relative: String) -> WorkbenchError {
        WorkbenchError(status: 409, code: "save.exists", "\(relative) already exists; the workbench never overwrites a policy "
                       + "(choose another year, or remove the file)", param: ("save", "year"))
    }

    /// The folder `components` under the root, each level created when missing and resolved (symbolic links
    /// included) before the next is made in it: nothing is created outside the root.
    func folder(_ components: [String]) throws(WorkbenchError) -> (real: String, relative: String) {
        var current = (real: root.real, relative: ".")
        for c in components {
            let relative = current.relative == "." ? c : current.relative + "/" + c
            let path = current.real + "/" + c
            if !FileManager.default.fileExists(atPath: path) && mkdir(path, 0o755) != 0 && errno != EEXIST {
                throw WorkbenchError(status: 500, code: "save.cannot-write", "cannot create the folder \(relative): \(String(cString: strerror(errno)))")
            }
            current = try root.resolve(relative, what: "folder")
        }
        return current
    }

    /// The path mkstemp or mkdtemp filled in (a NUL-terminated template).
    static func path(_ template: [CChar]) -> String {
        String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes `data` to a temporary file beside `path`, then links it to `path`, which fails if `path`
    /// exists: the file appears complete, and nothing is ever replaced.
    static func create(_ path: String, _ data: Data, shown: String) throws(WorkbenchError) {
        let cannot = { (what: String) in
            WorkbenchError(status: 500, code: "save.cannot-write", "\(shown): cannot \(what): \(String(cString: strerror(errno)))")
        }
        var template = Array(((path as NSString).deletingLastPathComponent + "/.kaohe-save-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw cannot("create a temporary file") }
        let temp = Workbench.path(template)
        defer { unlink(temp) }
        let written = data.withUnsafeBytes { p -> Bool in
            var offset = 0
            while offset < p.count {
                let n = write(fd, p.baseAddress! + offset, p.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        guard written, fchmod(fd, 0o644) == 0, fsync(fd) == 0 else {
            close(fd)
            throw cannot("write")
        }
        close(fd)
        guard link(temp, path) == 0 else {
            if errno == EEXIST { throw exists(shown) }
            throw cannot("link the file into place")
        }
    }
}
