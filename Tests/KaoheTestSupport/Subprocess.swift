public import Foundation

/// Runs a program to its end with no standard input; its standard output and error go to files (a pipe that
/// nobody reads while the program runs can fill up and stall it), read back when it ends.
public enum Subprocess {
    public struct Result: Sendable {
        public var status: Int32
        public var out: Data
        public var err: Data
        public var outText: String { String(decoding: out, as: UTF8.self) }
        public var errText: String { String(decoding: err, as: UTF8.self) }
    }

    /// Runs `executable` (a path; "/usr/bin/env" with the program's name as first argument looks it up on PATH)
    /// in `directory` (default: the current one). The outputs are kept as `outputs.stdout` and `outputs.stderr`
    /// when `outputs` is given (a path without extension), else in a temporary folder that is removed.
    /// After `timeout` seconds the program is killed (SIGKILL: children inherit the test thread's signal mask,
    /// in which SIGTERM is blocked) and a ToolError thrown.
    public static func run(_ executable: String, _ arguments: [String], directory: String? = nil, outputs: String? = nil,
                           timeout: TimeInterval? = nil) throws -> Result {
        var scratch: String?
        let base: String
        if let outputs { base = outputs } else {
            scratch = TemporaryDirectory.make("kaohe-run")
            base = scratch! + "/run"
        }
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        let outPath = base + ".stdout", errPath = base + ".stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        if let timeout, done.wait(timeout: .now() + timeout) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            done.wait()
            let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            throw ToolError("\((executable as NSString).lastPathComponent) did not finish in \(Int(timeout)) s and was killed: "
                            + "\(executable) \(arguments.joined(separator: " "))\n\(err.suffix(2000))")
        }
        if timeout == nil { done.wait() }
        let read = { (path: String) in (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data() }
        return Result(status: process.terminationStatus, out: read(outPath), err: read(errPath))
    }
}
