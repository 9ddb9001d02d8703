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
        var st = stat()
        guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFLNK else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Device and inode of an existing file, so that hard links and other spellings compare equal.
    static func fileID(_ path: String) -> [UInt64]? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [UInt64(st.st_dev), UInt64(st.st_ino)]
    }
}

/// How reports and forms reach their file.
enum OutputFile {
    enum Kind: Equatable {
        /// Nothing there yet, or a regular file: written to a temporary file beside it, then renamed over it.
        case file
        /// A character device or a FIFO (`/dev/stdout`, `/dev/null`, a named pipe): opened and written in place,
        /// never replaced.
        case stream
        /// A folder, a block device or a socket ("a folder"): refused.
        case unwritable(String)
    }

    /// What is at `path`, following symbolic links.
    static func kind(_ path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .file }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFCHR, S_IFIFO: return .stream
        case S_IFDIR: return .unwritable("a folder")
        case S_IFBLK: return .unwritable("a block device")
        case S_IFSOCK: return .unwritable("a socket")
        default: return .unwritable("not a regular file")
        }
    }

    /// Writes `data` to `path`. A file is replaced atomically (a temporary file in the same folder, then rename),
    /// so a reader never sees half a report; through a symbolic link, the file it points to is replaced and the
    /// link is kept. A character device or FIFO is written in place. Anything else is refused.
    static func write(_ data: Data, to path: String) throws {
        switch kind(path) {
        case .unwritable(let kind):
            throw CLIError("\(path) is \(kind), not a file kaohe can write to; nothing was written")
        case .stream:
            try writeInPlace(data, to: path)
        case .file:
            do {
                try data.write(to: URL(fileURLWithPath: OutputGuard.resolved(path)), options: .atomic)
            } catch {
                throw CLIError("\(path): cannot write the output file: \(fileErrorReason(error))")
            }
        }
    }

    private static func writeInPlace(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw CLIError("\(path): cannot open for writing: \(String(cString: strerror(errno)))") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.close()
        } catch {
            throw CLIError("\(path): cannot write: \(fileErrorReason(error))")
        }
    }
}

/// File names made from data (a unit's id and name): one path component that is safe on Linux, macOS and
/// Windows and cannot leave the folder it is put in.
enum FileName {
    /// Characters Windows does not allow in names, and path separators everywhere.
    static let forbidden: Set<Unicode.Scalar> = ["/", "\\", "<", ">", ":", "\"", "|", "?", "*"]
    /// Device names Windows reserves, with or without an extension.
    static let reserved = Set(["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"] + (1...9).flatMap { ["COM\($0)", "LPT\($0)"] })
    /// At most this many UTF-8 bytes before the extension (file systems allow 255 in all).
    static let maxBytes = 200

    /// `stem` made safe, with `.ext` appended: path separators, `<>:"\|?*`, control and bidi characters become
    /// `_`; a leading dot or dash becomes `_` (so no `..`, no hidden file, nothing that reads as an option); a
    /// Windows device name (CON, NUL, COM1, …) gets a leading `_`; the stem is cut to `maxBytes`.
    static func safe(_ stem: String, extension ext: String) -> String {
        var scalars = String.UnicodeScalarView()
        for u in stem.unicodeScalars {
            scalars.append(forbidden.contains(u) || TerminalText.isUnsafe(u) ? "_" : u)
        }
        var s = String(scalars)
        if s.isEmpty { s = "_" }
        if s.hasPrefix(".") || s.hasPrefix("-") { s = "_" + s.dropFirst() }
        let base = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
            .trimmingCharacters(in: .whitespaces).uppercased()
        if reserved.contains(base) { s = "_" + s }
        if s.utf8.count > maxBytes {
            var cut = ""
            for ch in s {
                if cut.utf8.count + String(ch).utf8.count > maxBytes { break }
                cut.append(ch)
            }
            s = cut
        }
        return s + "." + ext
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
