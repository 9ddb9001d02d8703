import Foundation
import Kaohe

/// `GET /api/policies` and `GET /api/datasets`: what the root holds.
extension Workbench {
    /// The most entries a listing walks (a root that holds more is cut short, and says so).
    static let walkLimit = 50_000

    /// The root's files and folders below `start` (relative, sorted), without hidden ones (`.git`, `.build`)
    /// and without following symbolic links to folders; `truncated` when the walk hit `walkLimit`.
    func walk(_ start: String) -> (entries: [(relative: String, isDirectory: Bool)], truncated: Bool) {
        var out: [(String, Bool)] = []
        var pending = [start]
        while let dir = pending.popLast() {
            let full = dir == "." ? root.real : root.real + "/" + dir
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: full) else { continue }
            for name in names.sorted() where !name.hasPrefix(".") {
                let relative = dir == "." ? name : dir + "/" + name
                let attributes = try? FileManager.default.attributesOfItem(atPath: full + "/" + name)
                let type = attributes?[.type] as? FileAttributeType
                let isDirectory = type == .typeDirectory
                out.append((relative, isDirectory))
                if out.count >= Workbench.walkLimit { return (out.sorted { $0.0 < $1.0 }, true) }
                if isDirectory { pending.append(relative) }
            }
        }
        return (out.sorted { $0.0 < $1.0 }, false)
    }

    /// `{"<key>": [elements], "truncated": …}`: a listing's answer.
    static func listing(_ key: String, truncated: Bool, _ elements: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.field(key) { w in
            w.beginArray()
            elements(&w)
            w.endArray()
        }
        w.field("truncated") { $0.raw(truncated ? "true" : "false") }
        w.endObject()
        w.raw("\n")
        return w.bytes
    }

    /// Every `.lua` file under `policies/` but `*_test.lua` (relative path), loaded or with why it does not load.
    func policyEntries() -> (entries: [(path: String, policy: Result<Policy, WorkbenchError>)], truncated: Bool) {
        let listing = FileManager.default.fileExists(atPath: root.real + "/policies") ? walk("policies") : (entries: [], truncated: false)
        var out: [(String, Result<Policy, WorkbenchError>)] = []
        for entry in listing.entries where !entry.isDirectory && entry.relative.hasSuffix(".lua") && !entry.relative.hasSuffix("_test.lua") {
            guard let path = try? root.resolve(entry.relative, what: "policy") else { continue }
            do {
                out.append((path.relative, .success(try policy(real: path.real, relative: path.relative))))
            } catch {
                out.append((path.relative, .failure(WorkbenchError.from(error))))
            }
        }
        return (out, listing.truncated)
    }

    /// `{"policies": [{"path", "id", "title", "year", "jurisdiction"} or {"path", "diagnostics"}], "truncated"}`:
    /// `policyEntries()`.
    public func policiesJSON() async throws -> [UInt8] {
        try await listingPool.run { [self] in
            let listing = policyEntries()
            return Workbench.listing("policies", truncated: listing.truncated) { w in
                for entry in listing.entries {
                    w.element { w in
                        w.beginObject()
                        w.field("path", string: entry.path)
                        switch entry.policy {
                        case .success(let p):
                            w.field("id", string: p.id)
                            w.field("title", string: p.title)
                            w.field("year") { $0.number(p.year) }
                            w.field("jurisdiction", string: p.jurisdiction)
                        case .failure(let error):
                            w.field("diagnostics") { w in
                                w.beginArray()
                                for d in error.diagnostics { w.element { d.write(to: &$0) } }
                                w.endArray()
                            }
                        }
                        w.endObject()
                    }
                }
            }
        }
    }

    /// A data set the root holds: a CSV folder (a folder with `units.csv` or `units.xlsx`, as `--data` takes
    /// it), a workbook (an `.xlsx` with one sheet per table, not a form and not inside a CSV folder), or a
    /// folder of self-check forms without a units table (forms to be copied into a data set; a CSV folder
    /// holding forms is a CSV folder, and says how many).
    public enum DatasetKind: String, Sendable { case csv, workbook, forms }

    /// `{"datasets": [{"path", "kind", "forms"?}], "truncated"}`, sorted by path; `forms`: how many filled
    /// self-check forms a CSV folder holds (the loader reads its self-check table from them).
    public func datasetsJSON() async throws -> [UInt8] {
        try await listingPool.run { [self] in
            let listing = datasetEntries()
            return Workbench.listing("datasets", truncated: listing.truncated) { w in
                for entry in listing.entries {
                    w.element { w in
                        w.beginObject()
                        w.field("path", string: entry.path)
                        w.field("kind", string: entry.kind.rawValue)
                        if let n = entry.forms { w.field("forms") { $0.number(n) } }
                        w.endObject()
                    }
                }
            }
        }
    }

    /// The data sets the root holds, sorted by path (`DatasetKind`); `forms`: how many filled self-check
    /// forms a CSV folder holds.
    func datasetEntries() -> (entries: [(path: String, kind: DatasetKind, forms: Int?)], truncated: Bool) {
        let listing = walk(".")
        var found: [(String, DatasetKind)] = []
        var csvFolders: [String] = []
        var formFolders: Set<String> = []
        let files = Set(listing.entries.filter { !$0.isDirectory }.map(\.relative))
        for entry in listing.entries where entry.isDirectory {
            if files.contains(entry.relative + "/units.csv") || files.contains(entry.relative + "/units.xlsx") {
                csvFolders.append(entry.relative + "/")
                found.append((entry.relative, .csv))
            }
        }
        // filled forms in a CSV folder (its self-check table, read from them)
        var formsIn: [String: Int] = [:]
        for entry in listing.entries where !entry.isDirectory && entry.relative.lowercased().hasSuffix(".xlsx") {
            let name = (entry.relative as NSString).lastPathComponent
            let folder = (entry.relative as NSString).deletingLastPathComponent
            let inCSV = csvFolders.contains { entry.relative.hasPrefix($0) }
            guard !name.hasPrefix("~$"), !inCSV || csvFolders.contains(folder + "/"),
                  let path = try? root.resolve(entry.relative, what: "workbook") else { continue }
            if isForm(path.real) {
                if inCSV { formsIn[folder, default: 0] += 1 } else { formFolders.insert(folder) }
            } else if !inCSV {
                found.append((entry.relative, .workbook))
            }
        }
        found += formFolders.map { ($0.isEmpty ? "." : $0, .forms) }
        return (found.sorted(by: { $0.0 < $1.0 }).map { ($0.0, $0.1, formsIn[$0.0]) }, listing.truncated)
    }
}
