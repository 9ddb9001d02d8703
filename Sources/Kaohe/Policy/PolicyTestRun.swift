import Foundation
import LuaRuntime

/// Runs a policy's tests: `2023_test.lua` beside `2023.lua`, functions named `test_*` that score one
/// unit's records with `score { ... }` and check points with `expect_points`, `expect_total`, `expect`.
public struct PolicyTestRun: Sendable {
    public struct Result: Decodable, Sendable {
        public var name: String
        public var line: Int
        public enum Status: String, Decodable, Sendable {
            case pass, fail
            /// The test raised an error or tripped a limit.
            case error
        }

        public var status: Status
        public var message: String?
        public var rule: String?
        public var expected: Double?
        public var actual: Double?
        /// The expected or actual value when it is not a finite number (`inf`, `"5"`, `a table`).
        public var expectedText: String?
        public var actualText: String?
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case name, line, status, message, rule, expected, actual, note
            case expectedText = "expected_text", actualText = "actual_text"
        }

        init(name: String, line: Int, status: Status, message: String) {
            self.name = name
            self.line = line
            self.status = status
            self.message = message
        }
    }

    /// A test the file defines.
    struct TestName: Decodable {
        var name: String
        var line: Int
    }

    public struct RuleCoverage: Decodable, Sendable {
        public var id: String
        public var citation: String
        public var title: String
        public var covered: Bool
    }

    public struct TierCoverage: Decodable, Sendable {
        public var rule: String
        public var path: String
        public var index: Int
        public var label: String?
        public var covered: Bool
    }

    /// A band or veto, and whether some test asserted it (`expect_band`, `expect_veto`).
    public struct AwardCoverage: Decodable, Sendable {
        public var id: String
        public var label: String?
        public var citation: String?
        public var title: String?
        public var covered: Bool
    }

    struct Report: Decodable {
        struct Coverage: Decodable {
            var rules: [RuleCoverage]
            var tiers: [TierCoverage]
            var bands: [AwardCoverage]
            var vetoes: [AwardCoverage]
            /// Whether the tests called rank {}.
            var ranked: Bool
        }
        var tests: [Result]
        var names: [TestName]
        var coverage: Coverage
    }

    public var file: String
    public var policy: Policy
    public var results: [Result]
    public var rules: [RuleCoverage]
    public var tiers: [TierCoverage]
    /// The policy's bands, counted in `coverage` once some test ranks units (`rank { ... }`); its vetoes,
    /// always counted.
    public var bands: [AwardCoverage]
    public var vetoes: [AwardCoverage]
    /// Whether some test ranked units.
    public var ranked: Bool

    /// The bands that count for coverage: all once some test ranks, none before (a file testing rules only).
    public var countedBands: [AwardCoverage] { ranked ? bands : [] }

    public var passed: Int { results.filter { $0.status == .pass }.count }
    public var failed: Int { results.count - passed }

    /// Covered share of rules, tier branches, bands and vetoes, in percent (100 when there is nothing to cover).
    public var coverage: Double {
        let total = rules.count + tiers.count + countedBands.count + vetoes.count
        guard total > 0 else { return 100 }
        let covered = rules.filter(\.covered).count + tiers.filter(\.covered).count + countedBands.filter(\.covered).count
            + vetoes.filter(\.covered).count
        return Double(covered) * 100 / Double(total)
    }

    /// The policy a test file tests: `2023_test.lua` → `2023.lua` in the same folder.
    /// The test file of a policy: `2024.lua` → `2024_test.lua` beside it; nil for a file not named `*.lua`.
    public static func testPath(forPolicy file: String) -> String? {
        file.hasSuffix(".lua") ? String(file.dropLast(".lua".count)) + "_test.lua" : nil
    }

    public static func policyPath(forTest file: String) -> String? {
        let name = (file as NSString).lastPathComponent
        guard name.hasSuffix("_test.lua") else { return nil }
        let policy = String(name.dropLast("_test.lua".count)) + ".lua"
        return ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(policy)
    }

    /// Test files under `paths`: folders are searched for `*_test.lua`; a policy file stands for its test file.
    public static func discover(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw PolicyError(file: path, code: "test.not-found", "no such file or folder")
            }
            if isDir.boolValue {
                let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                    .filter { $0.hasSuffix("_test.lua") }.sorted()
                files += found.map { (path as NSString).appendingPathComponent($0) }
            } else if path.hasSuffix("_test.lua") {
                files.append(path)
            } else {
                let test = testPath(forPolicy: path)
                guard let test, FileManager.default.fileExists(atPath: test) else {
                    let name = test.map { ($0 as NSString).lastPathComponent } ?? "<policy>_test.lua"
                    throw PolicyError(file: path, code: "test.not-found", "no test file \(name) beside it")
                }
                files.append(test)
            }
        }
        return files
    }

    /// Runs one test file; `only` keeps the tests whose names match. Each test runs on its own with the rule
    /// time limit (a test scores a unit or two): one that loops forever is reported as an error naming the
    /// test and its line, and the other tests still run and are reported.
    public static func run(testFile: String, only: ((String) -> Bool)? = nil, limits: SandboxLimits = SandboxLimits()) throws -> PolicyTestRun {
        guard let policyPath = policyPath(forTest: testFile) else {
            throw PolicyError(file: testFile, code: "test.name", "a test file is named <policy>_test.lua")
        }
        let policyBytes = try PolicyLoader.readFile(policyPath)
        var sandbox = try LuaSandbox(limits: limits.lua)
        let policy = try PolicyLoader.load(bytes: policyBytes, path: policyPath, in: sandbox)
        sandbox.hostCall = { answer($0, policy: policy) }
        guard let source = FileReading.bytes(atPath: testFile) else { throw PolicyError(file: testFile, code: "test.unreadable", "cannot read the test file") }
        func report(_ only: [String], seconds: Double) throws -> Report {
            let json: String
            do {
                json = try sandbox.runTests(source: source, chunkName: testFile, only: only, seconds: seconds)
            } catch let error as LuaError {
                throw PolicyError(diagnostics: PolicyLoader.describe(error, policy: testFile))
            }
            do {
                return try JSONDecoder().decode(Report.self, from: Data(json.utf8))
            } catch {
                throw PolicyError(file: testFile, code: "internal", "internal error: cannot read the test results: \(error)")
            }
        }
        // the file's tests: a run that selects none (no test is named " ") lists them
        let listing = try report([" "], seconds: limits.loadSeconds)
        var results: [Result] = []
        var rules = listing.coverage.rules, tiers = listing.coverage.tiers
        var bands = listing.coverage.bands, vetoes = listing.coverage.vetoes
        var ranked = false
        for (k, test) in listing.names.enumerated() where only?(test.name) ?? true {
            do {
                let one = try report(["#\(k + 1)"], seconds: limits.ruleSeconds)
                results += one.tests
                for (i, r) in one.coverage.rules.enumerated() where r.covered && i < rules.count { rules[i].covered = true }
                for (i, t) in one.coverage.tiers.enumerated() where t.covered && i < tiers.count { tiers[i].covered = true }
                ranked = ranked || one.coverage.ranked
                for (i, b) in one.coverage.bands.enumerated() where b.covered && i < bands.count { bands[i].covered = true }
                for (i, v) in one.coverage.vetoes.enumerated() where v.covered && i < vetoes.count { vetoes[i].covered = true }
            } catch let error as PolicyError {
                results.append(Result(name: test.name, line: test.line, status: .error, message: error.diagnostics.map(\.description).joined(separator: "\n")))
                // a tripped limit leaves the state spent: the next tests get a fresh sandbox
                sandbox = try LuaSandbox(limits: limits.lua)
                _ = try PolicyLoader.load(bytes: policyBytes, path: policyPath, in: sandbox)
                sandbox.hostCall = { answer($0, policy: policy) }
            }
        }
        return PolicyTestRun(file: testFile, policy: policy, results: results, rules: rules, tiers: tiers, bands: bands, vetoes: vetoes, ranked: ranked)
    }
}
