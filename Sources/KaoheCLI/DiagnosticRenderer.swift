import Foundation
import Kaohe
import LuaRuntime

/// Prints diagnostics: compiler-style text (`file:line:column: error: message; hint`), or JSON for a command
/// run with `--format json`. The library's hints name no option; here the ones a command-line user acts on
/// say which option to give.
enum DiagnosticRenderer {
    /// The command line's hint for a diagnostic, where it has a better one than the library's.
    static func commandLine(_ d: Diagnostic) -> Diagnostic {
        var d = d
        switch d.code {
        case "sandbox.time-limit": d.hint = "look for a loop that never ends, or raise the budget with --time-limit"
        case "sandbox.memory-limit": d.hint = "look for a table that grows without bound, or raise the cap with --memory-limit"
        case "run.notes-budget": d.hint = "shorten the notes, or score without them (--format csv or table)"
        case "data.not-found": d.hint = "--data takes a folder of <table>.csv (or <table>.xlsx) files, a .json file or an .xlsx workbook"
        case "encoding.not-utf8": d.hint = "if the file was saved by Excel or WPS on Chinese Windows, use --encoding gb18030"
        case "encoding.damaged-utf8": d.hint = "retype this character, or give --encoding gb18030 if the file really is GBK"
        default: break
        }
        return d
    }

    /// Any error the command line reports, as diagnostics (`kaohe`'s own errors carry them; the others get a code
    /// here).
    static func diagnostics(for error: any Error) -> [Diagnostic] {
        func one(_ code: String, _ message: String) -> [Diagnostic] { [Diagnostic(file: nil, code: code, message: message)] }
        switch error {
        case let e as DataError: return e.diagnostics
        case let e as PolicyError: return e.diagnostics
        case let e as HistoryError:
            var d = e.diagnostic
            d.hint = RunHistory.hint(e)
            return [d]
        case let e as UnitLookupError:
            var d = e.diagnostic
            if !e.sameName.isEmpty { d.hint = "give the unit's id with --unit" }
            else if e.close.isEmpty { d.hint = "`kaohe score` lists the unit ids" }
            return [d]
        case let e as XLSXWriteError: return [e.diagnostic]
        case let e as CLIError: return one(e.code, e.description)
        case let e as UsageError: return one("usage", e.description)
        case let e as LuaError:
            // the library turns the sandbox's errors into PolicyErrors; one that escapes gets the same codes
            let codes: [LuaError.Kind: String] = [.syntax: "lua.syntax", .runtime: "lua.runtime", .timeLimit: "sandbox.time-limit",
                                                  .memoryLimit: "sandbox.memory-limit", .host: "sandbox.host"]
            return one(codes[e.kind] ?? "sandbox.host", e.message)
        case is DecodingError, is EncodingError: return one("internal", "internal error: \(error)")
        case is CocoaError, is POSIXError: return one("file", fileErrorReason(error))
        default: return one("internal", String(describing: error))
        }
    }

    static func text(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { commandLine($0).compilerStyle }.joined(separator: "\n")
    }

    /// `{"diagnostics": [{"file":…, "line":…, "column":…, "severity":…, "code":…, "message":…, "hint":…}], "omitted": n}`
    static func json(_ diagnostics: [Diagnostic], omitted: Int = 0) -> String {
        var w = JSONWriter()
        w.beginObject()
        w.field("diagnostics") { w in
            w.beginArray()
            for d in diagnostics.map(commandLine) { w.element { d.write(to: &$0) } }
            w.endArray()
        }
        w.field("omitted") { w in w.number(omitted) }
        w.endObject()
        return w.output + "\n"
    }
}
