public import Foundation
import LuaRuntime

/// The whole assessment through one entry point: load a policy and its data, score and rank (with the
/// multi-year bands of article 17 settled from the history), explain one unit, compare two policies, save a
/// run. The command line only parses arguments, calls these, renders and writes; a library user (the
/// workbench, a test) calls the same functions and gets the same results.
public enum Assessment {
    public struct Options: Sendable {
        /// Workers (default: the number of cores). Results do not depend on it.
        public var jobs: Int?
        public var limits: SandboxLimits
        /// Whether the reports will show rules' notes (when not, helpers skip building them).
        public var notes: Bool
        /// The encoding of CSV files.
        public var encoding: TextEncoding
        /// Called when a phase ends ("policy", "data", "score"): a caller that times the run reads its clock.
        public var phaseEnded: (@Sendable (String) -> Void)?

        public init(jobs: Int? = nil, limits: SandboxLimits = SandboxLimits(), notes: Bool = true, encoding: TextEncoding = .auto,
                    phaseEnded: (@Sendable (String) -> Void)? = nil) {
            self.jobs = jobs
            self.limits = limits
            self.notes = notes
            self.encoding = encoding
            self.phaseEnded = phaseEnded
        }

        var scorer: Scorer.Options { Scorer.Options(jobs: jobs, limits: limits, notes: notes) }
    }

    /// Loads and validates the policy at `path`.
    public static func policy(_ path: String, limits: SandboxLimits = SandboxLimits()) throws -> Policy {
        try PolicyLoader.load(path: path, limits: limits)
    }

    /// Reads the data at `path` (a folder, workbook or JSON file) as `policy` declares it.
    public static func data(_ path: String, policy: Policy, encoding: TextEncoding = .auto) throws -> Dataset {
        try DatasetLoader.load(policy: policy, path: path, encoding: encoding)
    }

    /// Loads the policy and the data and scores every unit. `history` gives earlier years' runs for the
    /// policy's history bands; without it no unit gets one. The sheet is complete when returned.
    public static func score(policy path: String, data dataPath: String, options: Options = Options(),
                             history: History? = nil) throws -> Scoresheet {
        let (policy, sandbox) = try PolicyLoader.loadKeepingSandbox(path: path, limits: options.limits)
        options.phaseEnded?("policy")
        let data = try DatasetLoader.load(policy: policy, path: dataPath, encoding: options.encoding)
        options.phaseEnded?("data")
        let sheet = try Scorer.score(policy: policy, data: data, options: options.scorer, history: history, loaded: sandbox)
        options.phaseEnded?("score")
        return sheet
    }

    /// Scores `data` under a policy already loaded.
    public static func score(_ policy: Policy, data: Dataset, options: Options = Options(), history: History? = nil) throws -> Scoresheet {
        try Scorer.score(policy: policy, data: data, options: options.scorer, history: history)
    }

    /// The same data under two policies, and what moved between them.
    public struct PolicyPair: Sendable {
        public var old: Scoresheet
        public var new: Scoresheet
        public var comparison: Comparison
    }

    /// Scores the data at `data` under the policies at `old` and `new` and compares the results.
    public static func compare(old: String, new: String, data: String, options: Options = Options()) throws -> PolicyPair {
        let a = try score(policy: old, data: data, options: options)
        let b = try score(policy: new, data: data, options: options)
        return PolicyPair(old: a, new: b, comparison: compare(a, b))
    }

    /// Two sheets of the same data compared, each side labelled with its policy's id (as `kaohe compare` does).
    public static func compare(_ a: Scoresheet, _ b: Scoresheet) -> Comparison {
        Comparison(a: Comparison.Side(a, label: a.policy.id), b: Comparison.Side(b, label: b.policy.id))
    }

    /// Two saved runs compared, by their ids in `store`.
    public static func compare(runs a: Int64, _ b: Int64, in store: RunStore) throws -> Comparison {
        let sides = try [a, b].map { id -> Comparison.Side in
            guard let run = try store.run(id) else { throw HistoryError.noRun(id: id, path: store.path) }
            return Comparison.Side(run, label: "#\(id) \(run.policyID)")
        }
        return Comparison(a: sides[0], b: sides[1])
    }

    /// Why the unit `query` (its id, or its name when only one unit has it) got its total.
    public static func explain(_ sheet: Scoresheet, unit query: String, limits: SandboxLimits = SandboxLimits()) throws -> Explanation {
        try Explanation.explain(sheet, unit: try unit(query, in: sheet.data), limits: limits)
    }

    /// The index of the unit `query` names: its id, or else its name when exactly one unit has that name.
    public static func unit(_ query: String, in data: Dataset) throws -> Int {
        if let i = data.index(ofUnit: query) { return i }
        let named = data.names.indices.filter { data.names[$0] == query }
        if named.count == 1 { return named[0] }
        if named.count > 1 {
            throw UnitLookupError(query: query, data: data.path, sameName: named.map { data.unitIDs[$0] }, close: [])
        }
        let q = query.lowercased()
        let matching = data.unitIDs.indices.filter { data.unitIDs[$0].lowercased().contains(q) || data.names[$0].contains(query) }
        var error = UnitLookupError(query: query, data: data.path, sameName: [],
                                    close: matching.prefix(5).map { "\(data.unitIDs[$0]) (\(data.names[$0]))" })
        error.closeCount = matching.count
        throw error
    }

    /// Stores the run in `store` (a run with the same policy and data is not stored twice).
    public static func save(_ sheet: Scoresheet, to store: RunStore, label: String?, kaoheVersion: String?,
                            at date: Date = Date()) throws -> RunStore.SaveOutcome {
        try store.save(RunRecord(sheet: sheet, label: label, createdAt: date, kaoheVersion: kaoheVersion))
    }
}
