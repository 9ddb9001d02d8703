import ArgumentParser
import Dispatch
import Foundation
import Kaohe
import LuaRuntime
import Synchronization

/// `--policy FILE`
struct PolicyOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The policy file (Lua), e.g. policies/ganzhou/2023.lua.", valueName: "file"))
    var policy: String
}

extension PolicyOption {
    /// What `--output` must not replace.
    var inputs: [OutputGuard.Input] { [.init(path: policy, what: "the policy")] }
}

/// `--data PATH [--encoding E]`
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A folder with one <table>.csv (or <table>.xlsx) per declared table and any filled self-check forms, an .xlsx workbook with one sheet per table, or a .json file.", valueName: "path"))
    var data: String

    @Option(name: .long, help: ArgumentHelp("CSV encoding: auto, utf-8 or gb18030 (GBK files from Excel/WPS).", valueName: "name"))
    var encoding: String = "auto"

    /// What `--output` must not replace.
    var inputs: [OutputGuard.Input] { [.init(path: data, what: "the data")] }

    func validate() throws { _ = try textEncoding() }

    func textEncoding() throws -> TextEncoding { try encodingOption(encoding) }
}

/// `--encoding NAME`.
func encodingOption(_ name: String) throws -> TextEncoding {
    guard let e = TextEncoding(name: name) else {
        throw ValidationError("unknown encoding '\(name)'; use auto, utf-8 or gb18030")
    }
    return e
}

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

/// Sandbox limits.
struct LimitOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Memory cap per Lua state, in MiB.", valueName: "MiB"))
    var memoryLimit: Int = 64

    @Option(name: .long, help: ArgumentHelp("Time budget per rule evaluation, in seconds (loading a policy gets 5× this).", valueName: "seconds"))
    var timeLimit: Double = 1

    func validate() throws { _ = try limits() }

    func limits() throws -> SandboxLimits {
        guard memoryLimit >= 4 else { throw ValidationError("--memory-limit must be at least 4 (MiB)") }
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        return SandboxLimits(memoryBytes: memoryLimit << 20, loadSeconds: timeLimit * 5, ruleSeconds: timeLimit)
    }
}

extension LimitOptions {
    /// The library's options for a run with these limits; phases are timed with KAOHE_TIMING=1.
    func assessment(jobs: Int? = nil, notes: Bool = true, encoding: TextEncoding = .auto) throws -> Assessment.Options {
        let clock = PhaseClock()
        let phaseEnded: (@Sendable (String) -> Void)? = clock.enabled ? { @Sendable name in clock.lap(name) } : nil
        return Assessment.Options(jobs: jobs, limits: try limits(), notes: notes, encoding: encoding, phaseEnded: phaseEnded)
    }
}

/// Prints what the run noted (band ties, history bands it could not settle) to standard error.
func printNotices(_ sheet: Scoresheet) {
    for notice in sheet.notices { Console.current.error(notice.compilerStyle) }
}
