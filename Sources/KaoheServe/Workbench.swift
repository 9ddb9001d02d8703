import Foundation
import Kaohe
import Synchronization

/// The workbench's engine: the root it serves, what it keeps in memory, and the answers of the JSON API
/// (the router only reads requests and writes these). Policies are loaded once per file version, data sets
/// once per (what the policy reads, data path) and re-read when a file's size or time changes, and the
/// unedited policy's scoresheet is kept per policy and data version. Loading and scoring run in
/// `ScoringPool`, never on the event loop. Every request builds its own edited policy and sheet, so
/// concurrent what-ifs never share a result.
public final class Workbench: Sendable {
    public let configuration: WorkbenchConfiguration
    /// The token a state-changing request carries in `X-Kaohe-CSRF` (`GET /api/session` gives it): new for
    /// every server, so another site's page cannot know it.
    public let csrfToken: String
    let root: WorkbenchRoot
    let pool: ScoringPool
    /// The listings' own threads: a what-if that runs to its time limit does not hold them up.
    let listingPool = ScoringPool(slots: 1)
    /// Called as a what-if starts scoring (tests wait on it instead of sleeping).
    let scoringStarted: (@Sendable () -> Void)?

    private struct CachedPolicy: Sendable { var stamp: FileStamp; var result: Result<Policy, PolicyError> }
    private struct CachedData: Sendable { var stamps: [String: FileStamp]; var data: Dataset }
    private let policyCache = Mutex<[String: CachedPolicy]>([:])
    private let dataCache = Mutex<[String: CachedData]>([:])
    private let sheetCache = Mutex<[String: Scoresheet]>([:])
    private let formCache = Mutex<[String: (FileStamp, Bool)]>([:])
    /// Entries kept per cache before it is emptied (a root rarely holds more data sets than this).
    static let cacheEntries = 32

    public convenience init(configuration: WorkbenchConfiguration) throws {
        try self.init(configuration: configuration, scoringStarted: nil)
    }

    init(configuration: WorkbenchConfiguration, scoringStarted: (@Sendable () -> Void)?) throws {
        self.configuration = configuration
        root = try WorkbenchRoot(configuration.root)
        csrfToken = WorkbenchConfiguration.randomSecret()
        pool = ScoringPool(slots: configuration.scoringSlots)
        self.scoringStarted = scoringStarted
    }

    private var options: Assessment.Options { Assessment.Options(jobs: configuration.jobs, limits: configuration.limits) }

    private static func keep<V: Sendable>(_ cache: borrowing Mutex<[String: V]>, _ key: String, _ value: V) {
        cache.withLock { c in
            if c.count >= cacheEntries, c[key] == nil { c.removeAll() }
            c[key] = value
        }
    }

    /// The policy at `real`, loaded from its current bytes (named `relative` in messages).
    func policy(real: String, relative: String) throws -> Policy {
        guard let stamp = FileStamp(real) else {
            throw WorkbenchError(status: 404, code: "path.not-found", "policy '\(relative)' cannot be read")
        }
        if let cached = policyCache.withLock({ $0[real] }), cached.stamp == stamp { return try cached.result.get() }
        guard let bytes = FileManager.default.contents(atPath: real) else {
            throw WorkbenchError(status: 404, code: "path.not-found", "policy '\(relative)' cannot be read")
        }
        let result: Result<Policy, PolicyError>
        do {
            result = .success(try PolicyLoader.load(bytes: [UInt8](bytes), path: relative, limits: configuration.limits))
        } catch let e as PolicyError {
            result = .failure(e)
        }
        Workbench.keep(policyCache, real, CachedPolicy(stamp: stamp, result: result))
        return try result.get()
    }

    /// The data at `real` as `policy` reads it, kept until one of its files changes.
    func data(real: String, policy: Policy) throws -> Dataset {
        let key = policy.dataSignature + "\u{0}" + real
        let stamps = FileStamp.tree(real)
        if let cached = dataCache.withLock({ $0[key] }), cached.stamps == stamps { return cached.data }
        let data: Dataset
        do {
            data = try Assessment.data(real, policy: policy)
        } catch var error as DataError {
            // messages name files as the request does: relative to the root
            error.diagnostics = root.relativized(error.diagnostics)
            throw error
        }
        Workbench.keep(dataCache, key, CachedData(stamps: stamps, data: data))
        return data
    }

    /// The unedited policy's scoresheet on `data`, kept per policy version and data set.
    func sheet(_ policy: Policy, data: Dataset) throws -> Scoresheet {
        let key = policy.sha256 + "\u{0}" + data.sha256 + "\u{0}" + data.path
        if let sheet = sheetCache.withLock({ $0[key] }) { return sheet }
        let sheet = try Assessment.score(policy, data: data, options: options)
        Workbench.keep(sheetCache, key, sheet)
        return sheet
    }

    /// Whether the workbook at `real` is a self-check form (kept per file version).
    func isForm(_ real: String) -> Bool {
        guard let stamp = FileStamp(real) else { return false }
        if let (s, form) = formCache.withLock({ $0[real] }), s == stamp { return form }
        let form = SelfCheckForm.isForm(file: real)
        Workbench.keep(formCache, real, (stamp, form))
        return form
    }

    // MARK: the API

    /// `POST /api/whatif`: the edited policy's results and its comparison with the unedited one.
    public func whatIf(_ body: [UInt8]) async throws -> [UInt8] {
        let request = try WhatIfRequest.decode(body)
        let edits = try request.edits()
        let policyPath = try root.resolve(request.policy, what: "policy")
        let dataPath = try root.resolve(request.data, what: "data")
        return try await pool.run { [self] in
            scoringStarted?()
            let original = try policy(real: policyPath.real, relative: policyPath.relative)
            if let clash = original.rules.first(where: { $0.id == WhatIfRequest.policyKey || $0.id == WhatIfRequest.bandsKey }) {
                throw WorkbenchError(status: 422, code: "whatif.rule-id-clash",
                                     "rule '\(clash.id)' has the id the what-if uses for \(clash.id == WhatIfRequest.policyKey ? "the policy's own params" : "band fields"); "
                                     + "rename the rule to edit this policy in the workbench",
                                     diagnostics: [Diagnostic(file: original.path, line: clash.line, code: "whatif.rule-id-clash",
                                                              message: "rule id '\(clash.id)' is reserved by the workbench's what-if")])
            }
            let edited = try PolicySource.edited(original, edits, limits: configuration.limits)
            let data = try data(real: dataPath.real, policy: original)
            let before = try sheet(original, data: data)
            let editedData = edited.policy.dataSignature == original.dataSignature ? data : try self.data(real: dataPath.real, policy: edited.policy)
            let after = try Assessment.score(edited.policy, data: editedData, options: options)
            return WhatIfReport.jsonBytes(original: before, edited: after)
        }
    }
}
