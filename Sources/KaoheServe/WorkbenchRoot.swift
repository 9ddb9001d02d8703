import Foundation
import Kaohe

/// The served folder: turns a request's relative path into a real path that stays inside it. `..` that climbs
/// out, an absolute path, and a symbolic link that leads out are refused with 403; a path that does not exist
/// is 404.
struct WorkbenchRoot: Sendable {
    /// The root's real path (symbolic links resolved), without a trailing '/'.
    let real: String

    init(_ path: String) throws(WorkbenchError) {
        guard let r = WorkbenchRoot.realpath(path) else {
            throw WorkbenchError(status: 500, code: "root.missing", "the root \(path) does not exist")
        }
        real = r
    }

    static func realpath(_ path: String) -> String? {
        guard let p = Foundation.realpath(path, nil) else { return nil }
        defer { free(p) }
        let s = String(cString: p)
        return s.count > 1 && s.hasSuffix("/") ? String(s.dropLast()) : s
    }

    /// Whether `real` (a real path) is the root or inside it.
    func contains(_ real: String) -> Bool { real == self.real || real.hasPrefix(self.real == "/" ? "/" : self.real + "/") }

    /// A request's path resolved: (the real path, the path relative to the root as messages name it).
    func resolve(_ relative: String, what: String) throws(WorkbenchError) -> (real: String, relative: String) {
        let outside = WorkbenchError.forbidden("path.outside-root", "\(what) '\(relative)' is outside the workbench's root; give a path relative to the root")
        guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.contains("\0") else {
            throw relative.isEmpty ? .badRequest("path.empty", "\(what): no path given") : outside
        }
        var parts: [Substring] = []
        for c in relative.split(separator: "/") where c != "." {
            if c == ".." {
                guard !parts.isEmpty else { throw outside }
                parts.removeLast()
            } else {
                parts.append(c)
            }
        }
        let normalized = parts.joined(separator: "/")
        guard let real = WorkbenchRoot.realpath(real + "/" + normalized) else {
            throw WorkbenchError(status: 404, code: "path.not-found", "\(what) '\(normalized)' does not exist under the root")
        }
        guard contains(real) else {
            throw WorkbenchError.forbidden("path.outside-root", "\(what) '\(normalized)' leads outside the workbench's root (a symbolic link to \(real)); "
                                           + "copy the file into the root instead")
        }
        return (real, normalized.isEmpty ? "." : normalized)
    }

    /// Text from the library with the root's real path taken off the files it names.
    func relativized(_ text: String) -> String { text.replacingOccurrences(of: real + "/", with: "") }

    /// Diagnostics with their files named relative to the root, as requests name them.
    func relativized(_ list: [Diagnostic]) -> [Diagnostic] { WorkbenchRoot.renamed(list, real + "/", "") }

    /// Diagnostics with `prefix` replaced by `name` in their files and messages.
    static func renamed(_ list: [Diagnostic], _ prefix: String, _ name: String) -> [Diagnostic] {
        list.map { d in
            var d = d
            d.file = d.file.map { $0.replacingOccurrences(of: prefix, with: name) }
            d.message = d.message.replacingOccurrences(of: prefix, with: name)
            return d
        }
    }

    /// The path of `real` (inside the root) relative to it.
    func relative(_ real: String) -> String {
        real == self.real ? "." : String(real.dropFirst(self.real.count + (self.real == "/" ? 0 : 1)))
    }
}

/// What tells that a file changed: its size and modification time (and inode, for a file replaced by rename).
struct FileStamp: Sendable, Hashable {
    var size: UInt64
    var modified: Double
    var inode: UInt64

    init?(_ path: String) {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        size = (a[.size] as? NSNumber)?.uint64Value ?? 0
        modified = (a[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        inode = (a[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
    }

    /// The stamps of a file, or of every file in a folder (and its subfolders), by path.
    static func tree(_ path: String) -> [String: FileStamp] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return [:] }
        guard isDir.boolValue else { return FileStamp(path).map { [path: $0] } ?? [:] }
        var out: [String: FileStamp] = [:]
        for name in FileManager.default.enumerator(atPath: path)?.compactMap({ $0 as? String }) ?? [] {
            let p = path + "/" + name
            if let s = FileStamp(p) { out[p] = s }
        }
        return out
    }
}
