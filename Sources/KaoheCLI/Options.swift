import ArgumentParser
import Dispatch
import Foundation
import Kaohe
import LuaRuntime

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

    static func make(data: String, encoding: String) -> DataOptions {
        var options = DataOptions()
        options.data = data
        options.encoding = encoding
        return options
    }

    /// What `--output` must not replace.
    var inputs: [OutputGuard.Input] { [.init(path: data, what: "the data")] }

    func validate() throws { _ = try textEncoding() }

    func textEncoding() throws -> TextEncoding {
        guard let e = TextEncoding(name: encoding) else {
            throw ValidationError("unknown encoding '\(encoding)'; use auto, utf-8 or gb18030")
        }
        return e
    }
}

/// `--output FILE --lang zh|en`, shared by the report commands.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Write to this file (atomically: a temporary file, then rename; a device or FIFO is written in place) instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .long, help: "Report language: zh or en (default: the policy's).")
    var lang: String?

    func validate() throws { _ = try language() }

    func language() throws -> String? {
        guard let lang else { return nil }
        guard lang == "zh" || lang == "en" else { throw ValidationError("--lang must be zh or en") }
        return lang
    }
}

/// Sandbox limits.
struct LimitOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Memory cap per Lua state, in MiB.", valueName: "MiB"))
    var memoryLimit: Int = 64

    @Option(name: .long, help: ArgumentHelp("Time budget per rule evaluation, in seconds (loading a policy gets 5× this).", valueName: "seconds"))
    var timeLimit: Double = 1

    func validate() throws { _ = try limits() }

    func limits() throws -> LuaLimits {
        guard memoryLimit >= 4 else { throw ValidationError("--memory-limit must be at least 4 (MiB)") }
        guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
        return LuaLimits(memoryBytes: memoryLimit << 20, loadSeconds: timeLimit * 5, ruleSeconds: timeLimit)
    }
}

/// The unit `query` names: its id, or else its name when exactly one unit has that name.
func findUnit(_ query: String, in data: Dataset, dataPath: String) throws -> Int {
    if let i = data.index(ofUnit: query) { return i }
    let named = data.names.indices.filter { data.names[$0] == query }
    if named.count == 1 { return named[0] }
    if named.count > 1 {
        throw CLIError("\(named.count) units are named '\(query)' (\(named.map { data.unitIDs[$0] }.joined(separator: ", "))); give the unit's id with --unit")
    }
    let q = query.lowercased()
    let close = data.unitIDs.indices.filter { data.unitIDs[$0].lowercased().contains(q) || data.names[$0].contains(query) }
        .prefix(5).map { "\(data.unitIDs[$0]) (\(data.names[$0]))" }
    throw CLIError("no unit '\(query)' in \(dataPath)"
        + (close.isEmpty ? "; `kaohe score` lists the unit ids" : "; did you mean \(close.joined(separator: ", "))?"))
}

/// Loads the policy and the data, and scores.
struct ScoringJob {
    var policy: Policy
    var data: Dataset
    var sheet: Scoresheet

    init(policy policyPath: String, data: DataOptions, limits: LimitOptions, jobs: Int?, notes: Bool = true) throws {
        let limits = try limits.limits()
        let clock = PhaseClock()
        policy = try PolicyLoader.load(path: policyPath, limits: limits)
        clock.lap("policy")
        self.data = try DatasetLoader.load(policy: policy, path: data.data, encoding: try data.textEncoding())
        clock.lap("data")
        sheet = try Scorer.score(policy: policy, data: self.data, options: Scorer.Options(jobs: jobs, limits: limits, notes: notes))
        clock.lap("score")
        for warning in sheet.bandWarnings { Console.current.error(warning) }
    }
}

/// Two policies scored on the same data, and the comparison of their results (`compare`, `diff --data`).
struct PolicyPairJob {
    var old: ScoringJob
    var new: ScoringJob
    var comparison: Comparison

    init(old oldPath: String, new newPath: String, data: String, encoding: String, limits: LimitOptions, jobs: Int?) throws {
        let options = DataOptions.make(data: data, encoding: encoding)
        old = try ScoringJob(policy: oldPath, data: options, limits: limits, jobs: jobs)
        new = try ScoringJob(policy: newPath, data: options, limits: limits, jobs: jobs)
        comparison = Comparison(a: Comparison.Side(old.sheet, label: old.policy.id), b: Comparison.Side(new.sheet, label: new.policy.id))
    }
}

/// With KAOHE_TIMING=1, prints how long each phase took to standard error.
final class PhaseClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private let enabled = ProcessInfo.processInfo.environment["KAOHE_TIMING"] == "1"

    func lap(_ name: String) {
        guard enabled else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        Console.current.error(String(format: "timing: %@ %.3f s", name, Double(now - last) / 1e9))
        last = now
    }
}
