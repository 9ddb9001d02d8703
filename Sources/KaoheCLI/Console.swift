import ArgumentParser
import Dispatch
import LuaRuntime
import Synchronization
import Foundation
import Kaohe

/// Where commands write. The real console writes to stdout/stderr; tests capture into strings.
///
/// Nothing untrusted drives the terminal: messages (`write`) and everything on standard error (`error`) are
/// escaped with `TerminalText` (controls and bidi characters shown as `\u{HEX}`, line feeds and tabs kept).
/// Reports (`report`) are written as rendered — the text formats are escaped by their renderers, and CSV, JSON,
/// Markdown and HTML have their own escaping — except that a report written to a terminal is escaped too.
public final class Console: @unchecked Sendable {
    public private(set) var out = ""
    public private(set) var err = ""
    let capture: Bool
    /// Whether standard output is a terminal (captured: as the test says).
    let outputIsTerminal: Bool

    public init(capture: Bool, terminal: Bool = false) {
        self.capture = capture
        outputIsTerminal = capture ? terminal : isatty(STDOUT_FILENO) != 0
    }

    @TaskLocal public static var current = Console(capture: false)

    /// A message to the user (not a report), escaped.
    func write(_ s: String) {
        put(TerminalText.escaped(s, keepingLineBreaks: true))
    }

    /// A report on standard output: as rendered, escaped only when standard output is a terminal.
    func report(_ s: String) {
        put(outputIsTerminal ? TerminalText.escaped(s, keepingLineBreaks: true) : s)
    }

    private func put(_ s: String) {
        if capture { out += s } else { FileHandle.standardOutput.write(Data(s.utf8)) }
    }

    /// A line on standard error, escaped.
    func error(_ s: String) {
        let s = TerminalText.escaped(s, keepingLineBreaks: true)
        let line = s.hasSuffix("\n") ? s : s + "\n"
        if capture { err += line } else { FileHandle.standardError.write(Data(line.utf8)) }
    }
}

/// Writes a report to `--output` (see `OutputFile.write`) or to the console.
func emit(_ text: String, to output: String?) throws {
    guard let output else {
        Console.current.report(text)
        return
    }
    try OutputFile.write(Data(text.utf8), to: output)
}

/// Writes bytes to an output file (see `OutputFile.write`).
func emit(data: Data, to output: String) throws {
    try OutputFile.write(data, to: output)
}

/// Prints what the run noted (band ties, history bands it could not settle) to standard error.
func printNotices(_ sheet: Scoresheet) {
    for notice in sheet.notices { Console.current.error(notice.compilerStyle) }
}
