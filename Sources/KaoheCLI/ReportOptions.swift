import ArgumentParser
import Dispatch
import Foundation
import Kaohe
import LuaRuntime
import Synchronization

/// `--output FILE --lang zh|en`, shared by the report commands.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Write to this file (atomically: a temporary file, then rename; a device or FIFO is written in place) instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .long, help: "Report language: zh or en (default: the policy's).")
    var lang: String?

    func validate() throws { _ = try language() }

    /// The report language given, or nil for the policy's.
    func language() throws -> Language? {
        guard let lang else { return nil }
        guard let language = Language(rawValue: lang) else { throw ValidationError("--lang must be zh or en") }
        return language
    }
}
