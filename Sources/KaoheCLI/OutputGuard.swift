import CKaoheFile
import Foundation
import Kaohe

/// Refuses an output path that would overwrite what the run reads: the policy, a data file, a file in a data
/// or test folder, or the history database; and an output that is not a file to write (a folder, a block device,
/// a socket). Checked before any work, so nothing is read, scored or written. Paths are compared after every
/// symbolic link on the way is resolved, so a link to the data folder is the data folder.
enum OutputGuard {
    /// An input of the run, and how to name it in the message ("the policy", "the data folder").
    struct Input {
        var path: String?
        var what: String
    }

    /// Extensions a run reads from a folder: a new file with one of them would change the next run's input.
    static let readExtensions: Set<String> = ["csv", "xlsx", "json", "lua"]

    /// `folder`: the output is a folder to write files into (`kaohe form`), not a file.
    static func check(_ output: String?, _ inputs: [Input], folder: Bool = false) throws {
        guard let output else { return }
        if !folder, case .unwritable(let kind) = OutputFile.kind(output) {
            throw UsageError("--output \(output) is \(kind), not a file kaohe can write a report to; give a file")
        }
        let out = resolved(output)
        let outID = fileID(out)
        for input in inputs {
            guard let path = input.path else { continue }
            let p = resolved(path)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                if out == p { throw UsageError("--output \(output) is \(input.what) file; write the report to another file") }
                continue
            }
            if isDir.boolValue {
                guard out.hasPrefix(p.hasSuffix("/") ? p : p + "/") else { continue }
                if outID != nil || readExtensions.contains((out as NSString).pathExtension.lowercased()) {
                    throw UsageError("--output \(output) is inside \(input.what) folder \(path), where it would \(outID != nil ? "replace a file the run reads" : "become one of its inputs"); write the report elsewhere")
                }
            } else if out == p || (outID != nil && outID == fileID(p)) {
                throw UsageError("--output \(output) is \(input.what) file; write the report to another file")
            }
        }
    }

    /// The absolute path with `.`, `..` and every symbolic link on the way resolved, component by component,
    /// the way the kernel would follow them; a link whose target does not exist (yet) is followed too. The
    /// part of the path that does not exist is appended as it is, with `.` and `..` applied.
    static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var pending = absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var done: [String] = []
        var links = 0
        while !pending.isEmpty {
            let c = pending.removeFirst()
            if c == "." { continue }
            if c == ".." {
                if !done.isEmpty { done.removeLast() }
                continue
            }
            let candidate = "/" + (done + [c]).joined(separator: "/")
            if links < 64, let target = link(candidate) {
                links += 1
                let parts = target.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
                if target.hasPrefix("/") { done = [] }
                pending = parts + pending
                continue
            }
            done.append(c)
        }
        return "/" + done.joined(separator: "/")
    }

    /// The target of the symbolic link at `path`; nil when it is not one.
    private static func link(_ path: String) -> String? {
        var st = kh_file_status()
        guard kh_path_status(path, 0, &st) == 0, st.kind == KH_FILE_SYMBOLIC_LINK else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Device and inode of an existing file, so that hard links and other spellings compare equal.
    static func fileID(_ path: String) -> [UInt64]? {
        var st = kh_file_status()
        guard kh_path_status(path, 1, &st) == 0 else { return nil }
        return [st.device, st.inode]
    }
}

/// A file error's reason as the system words it ("Not a directory", "Permission denied"), rather than
/// Foundation's "The operation could not be completed".
func fileErrorReason(_ error: any Error) -> String {
    let ns = error as NSError
    if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? any Error {
        let u = underlying as NSError
        if u.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(u.code))) }
    }
    return ns.localizedDescription
}
