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

/// A failure reported to the user with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
