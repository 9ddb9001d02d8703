import Foundation

/// Where commands write. The real console writes to stdout/stderr; tests capture into strings.
public final class Console: @unchecked Sendable {
    public private(set) var out = ""
    public private(set) var err = ""
    let capture: Bool

    public init(capture: Bool) { self.capture = capture }

    @TaskLocal public static var current = Console(capture: false)

    func write(_ s: String) {
        if capture { out += s } else { FileHandle.standardOutput.write(Data(s.utf8)) }
    }

    func error(_ s: String) {
        let line = s.hasSuffix("\n") ? s : s + "\n"
        if capture { err += line } else { FileHandle.standardError.write(Data(line.utf8)) }
    }
}

/// Writes a report to `--output` (atomically: temp file + rename) or to the console.
func emit(_ text: String, to output: String?) throws {
    guard let output else {
        Console.current.write(text)
        return
    }
    do {
        try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
    } catch {
        throw CLIError("\(output): cannot write the output file: \(error.localizedDescription)")
    }
}

/// Writes bytes to a file atomically (temp file + rename).
func emit(data: Data, to output: String) throws {
    do {
        try data.write(to: URL(fileURLWithPath: output), options: .atomic)
    } catch {
        throw CLIError("\(output): cannot write the output file: \(error.localizedDescription)")
    }
}

/// A usage problem found once the command runs (not by argument parsing), reported with exit code 2.
struct UsageError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// A failure reported to the user with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

/// Refuses an output path that would overwrite what the run reads: the policy, a data file, a file in a data
/// or test folder, or the history database. Checked before any work, so nothing is read, scored or written.
enum OutputGuard {
    /// An input of the run, and how to name it in the message ("the policy", "the data folder").
    struct Input {
        var path: String?
        var what: String
    }

    /// Extensions a run reads from a folder: a new file with one of them would change the next run's input.
    static let readExtensions: Set<String> = ["csv", "xlsx", "json", "lua"]

    static func check(_ output: String?, _ inputs: [Input]) throws {
        guard let output else { return }
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

    /// The absolute path with `.`, `..` and symbolic links resolved (as far as the path exists).
    static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Device and inode of an existing file, so that hard links and other spellings compare equal.
    static func fileID(_ path: String) -> [UInt64]? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [UInt64(st.st_dev), UInt64(st.st_ino)]
    }
}
