import Foundation
import LuaRuntime

/// Runs a policy's tests: `2023_test.lua` beside `2023.lua`, functions named `test_*` that score one
/// unit's records with `score { ... }` and check points with `expect_points`, `expect_total`, `expect`.
public struct PolicyTestRun: Sendable {
    public struct Result: Decodable, Sendable {
        public var name: String
        public var line: Int
        /// "pass", "fail" or "error".
        public var status: String
        public var message: String?
        public var rule: String?
        public var expected: Double?
        public var actual: Double?
        public var note: String?
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

    struct Report: Decodable {
        struct Coverage: Decodable {
            var rules: [RuleCoverage]
            var tiers: [TierCoverage]
        }
        var tests: [Result]
        var coverage: Coverage
    }

    public var file: String
    public var policy: Policy
    public var results: [Result]
    public var rules: [RuleCoverage]
    public var tiers: [TierCoverage]

    public var passed: Int { results.filter { $0.status == "pass" }.count }
    public var failed: Int { results.count - passed }

    /// Covered share of rules and tier branches, in percent (100 when there is nothing to cover).
    public var coverage: Double {
        let total = rules.count + tiers.count
        guard total > 0 else { return 100 }
        return Double(rules.filter(\.covered).count + tiers.filter(\.covered).count) * 100 / Double(total)
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
                throw PolicyError("\(path): no such file or folder")
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
                    throw PolicyError("\(path): no test file \(name) beside it")
                }
                files.append(test)
            }
        }
        return files
    }

    /// Runs one test file; `only` keeps the tests whose names match.
    public static func run(testFile: String, only: ((String) -> Bool)? = nil, limits: LuaLimits = LuaLimits()) throws -> PolicyTestRun {
        guard let policyPath = policyPath(forTest: testFile) else {
            throw PolicyError("\(testFile): a test file is named <policy>_test.lua")
        }
        let sandbox = try LuaSandbox(limits: limits)
        let policy = try PolicyLoader.load(bytes: try PolicyLoader.readFile(policyPath), path: policyPath, in: sandbox)
        guard let source = FileReading.bytes(atPath: testFile) else { throw PolicyError("\(testFile): cannot read the test file") }
        let json: String
        do {
            json = try sandbox.runTests(source: source, chunkName: testFile, only: [], seconds: limits.loadSeconds * 12)
        } catch let error as LuaError {
            throw PolicyError(PolicyLoader.describe(error, policy: testFile))
        }
        let report: Report
        do {
            report = try JSONDecoder().decode(Report.self, from: Data(json.utf8))
        } catch {
            throw PolicyError("\(testFile): internal error: the test harness returned results kaohe cannot read (\(error))")
        }
        var results = report.tests
        if let only { results = results.filter { only($0.name) } }
        return PolicyTestRun(file: testFile, policy: policy, results: results, rules: report.coverage.rules,
                             tiers: report.coverage.tiers)
    }
}
