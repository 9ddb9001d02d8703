import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// `kaohe test`: the shipped policy tests pass with full coverage; an edited threshold is caught by the
/// test that pins it; mistakes in a test file are reported, not crashed on.
@Suite struct PolicyTestRunTests {
    @Test(arguments: ["policies/ganzhou/2023_test.lua", "policies/ganzhou/2024_test.lua", "policies/ganzhou/2025_test.lua"])
    func shippedTestsPassWithFullCoverage(file: String) throws {
        let run = try PolicyTestRun.run(testFile: Repository.path(file))
        #expect(run.failed == 0, "\(run.results.filter { $0.status != .pass }.map { "\($0.name): \($0.message ?? "") \($0.actual ?? 0)" })")
        #expect(run.passed >= 20)
        #expect(run.coverage == 100)
    }

    /// A copy of a policy and its tests in a temporary folder, with `edit` applied to the policy.
    static func copy(_ name: String, edit: (String) -> String) throws -> String {
        let dir = TemporaryDirectory.make()
        let policy = String(decoding: FileManager.default.contents(atPath: Repository.path("policies/ganzhou/\(name).lua"))!, as: UTF8.self)
        try Data(edit(policy).utf8).write(to: URL(fileURLWithPath: dir + "/\(name).lua"))
        try FileManager.default.copyItem(atPath: Repository.path("policies/ganzhou/\(name)_test.lua"), toPath: dir + "/\(name)_test.lua")
        return dir + "/\(name)_test.lua"
    }

    @Test func anEditedThresholdFailsTheTestThatPinsIt() throws {
        let file = try Self.copy("2023") {
            $0.replacingOccurrences(of: "{ below = 120, points = 0, label = \"参学率100%—120%\" }",
                                    with: "{ below = 110, points = 0, label = \"参学率100%—110%\" }")
        }
        let run = try PolicyTestRun.run(testFile: file)
        let failed = run.results.filter { $0.status == .fail }
        #expect(failed.map(\.name) == ["test_study_rate_119_99_scores_nothing"])
        #expect(failed.first?.rule == "study")
        #expect(failed.first?.expected == 0)
        #expect(failed.first?.actual == 2)
        let text = TestReport.render([run], format: .text, coverage: false)
        #expect(text.contains("FAIL  test_study_rate_119_99_scores_nothing (2023_test.lua:23)\n        第九条 “青年大学习”参学率 (study): expected 0, got +2"))
        #expect(text.hasSuffix("23 passed, 1 failed\n"))
    }

    @Test func onlyMatchingTestsRun() throws {
        let run = try PolicyTestRun.run(testFile: Repository.path("policies/ganzhou/2023_test.lua"), only: { $0.contains("volunteer") })
        #expect(run.results.count == 5)
        #expect(run.results.allSatisfy { $0.name.contains("volunteer") })
        // the filter reaches the harness: coverage counts only the tests that ran
        let all = try PolicyTestRun.run(testFile: Repository.path("policies/ganzhou/2023_test.lua"))
        #expect(all.coverage == 100 && run.coverage < all.coverage, "\(run.coverage) of \(all.coverage)")
        #expect(run.rules.filter(\.covered).map(\.id) == ["volunteer"])
    }

    @Test(arguments: [
        ("function test_bad() score { study = { { ratee = 1 } } } end", "table 'study' has no column 'ratee'"),
        ("function test_bad() score { nothing = {} } end", "the policy declares no table 'nothing'"),
        ("function test_bad() score { unit = { signage = 2 } } end", "column 'signage' is a flag"),
        ("function test_bad() expect_points(score {}, 'nope', 1) end", "the policy has no rule 'nope'"),
        ("function test_bad() while true do end end", "time limit"),
        // the harness's own objects: a failure a test catches, and the test file's environment (2^25 so that,
        // where a __len could be added, table.remove ends rather than loops 2^40 times in C)
        ("function test_bad() local ok, e = pcall(expect, false) getmetatable(e).__len = function() return 2^25 end table.remove(e, 1) end",
         "attempt to index a boolean value"),
        ("function test_bad() getmetatable(_ENV).__len = function() return 2^25 end end", "attempt to index a boolean value"),
        ("function test_bad()\n error({ code = 1 }) end", "p_test.lua:2: error() was given a table value, not a message"),
    ])
    func mistakesInATestFileAreReported(source: String, message: String) throws {
        let dir = TemporaryDirectory.make()
        try FileManager.default.copyItem(atPath: Repository.path("policies/ganzhou/2023.lua"), toPath: dir + "/p.lua")
        try Data(source.utf8).write(to: URL(fileURLWithPath: dir + "/p_test.lua"))
        do {
            let run = try PolicyTestRun.run(testFile: dir + "/p_test.lua", limits: .init(loadSeconds: 0.05))
            #expect(run.results.first?.status == .error)
            #expect(run.results.first?.message?.contains(message) == true, "\(run.results.first?.message ?? "")")
        } catch let error as PolicyError {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func uncoveredTiersAreListed() throws {
        let dir = TemporaryDirectory.make()
        try FileManager.default.copyItem(atPath: Repository.path("policies/ganzhou/2023.lua"), toPath: dir + "/p.lua")
        try Data("function test_one() expect_points(score { study = { { rate = 50 } } }, 'study', -2) end".utf8)
            .write(to: URL(fileURLWithPath: dir + "/p_test.lua"))
        let run = try PolicyTestRun.run(testFile: dir + "/p_test.lua")
        #expect(run.rules.filter(\.covered).map(\.id) == ["study"])
        #expect(run.tiers.filter { $0.rule == "study" }.map(\.covered) == [true, false, false])
        #expect(run.coverage < 20)
    }

    /// A copy of the Ganzhou 2023 policy with `tests` as its test file.
    static func ganzhouWith(tests: String) throws -> String {
        let dir = TemporaryDirectory.make()
        try FileManager.default.copyItem(atPath: Repository.path("policies/ganzhou/2023.lua"), toPath: dir + "/p.lua")
        try Data(tests.utf8).write(to: URL(fileURLWithPath: dir + "/p_test.lua"))
        return dir + "/p_test.lua"
    }

    /// A test that never returns gets the rule time limit on its own: it is reported as an error at its own
    /// name and line, and the tests before and after it still run and are reported (before, the whole file
    /// had one budget of 60 s, the error named no test, and every other result was lost).
    @Test func aTestThatNeverReturnsIsReportedAndTheOthersStillRun() throws {
        let file = try Self.ganzhouWith(tests: """
            function test_before() expect_points(score { study = { { rate = 50 } } }, 'study', -2) end
            function test_forever()
              while true do end
            end
            function test_recursion_in_a_helper() local function f(n) return f(n + 1) + 1 end f(1) end
            function test_after() expect_points(score { study = { { rate = 50 } } }, 'study', -2) end
            function test_string_forever() local s = "" while true do s = s .. "" end end
            function test_last() expect_points(score { study = { { rate = 130 } } }, 'study', 2) end
            """)
        let run = try PolicyTestRun.run(testFile: file, limits: .init(ruleSeconds: 0.2))
        #expect(run.results.map(\.name) == ["test_before", "test_forever", "test_recursion_in_a_helper", "test_after",
                                            "test_string_forever", "test_last"])
        #expect(run.results.map(\.status) == [.pass, .error, .error, .pass, .error, .pass])
        #expect(run.results[1].message?.contains("p_test.lua:3:") == true, "\(run.results[1].message ?? "")")
        #expect(run.results[1].message?.contains("time limit of 0.2 s exceeded") == true)
        let text = TestReport.render([run], format: .text, coverage: false)
        #expect(text.contains("ERROR test_forever (p_test.lua:2)"))
        #expect(text.hasSuffix("3 passed, 3 failed\n"))
        #expect(run.rules.filter(\.covered).map(\.id) == ["study"])
    }

    /// Expected values that are not finite numbers are shown as text (before, one made the whole run fail
    /// to decode, "not a finite number", and exit 0); expectations or messages of the wrong type are errors
    /// naming the helper.
    @Test func valuesThatAreNotFiniteNumbersAreShownAsText() throws {
        let file = try Self.ganzhouWith(tests: """
            function test_huge() expect_points(score {}, 'study', 1e300) end
            function test_inf() expect_total(score {}, -math.huge) end
            function test_nan() expect_total(score {}, 0/0) end
            function test_string() expect_points(score {}, 'study', "0") end
            function test_table() expect_total(score {}, {}) end
            function test_message_table() expect(false, {}) end
            """)
        let run = try PolicyTestRun.run(testFile: file)
        #expect(run.results.map(\.status) == [.fail, .fail, .fail, .error, .error, .error])
        let text = TestReport.render([run], format: .text, coverage: false)
        for shown in ["expected 1e+300, got", "expected -inf, got", "expected nan, got",
                      "expect_points: the expected points must be a number, not a string",
                      "expect_total: the expected total must be a number, not a table",
                      "expect: the message must be a string, not a table"] {
            #expect(text.contains(shown), "\(shown) in \(text)")
        }
        let json = TestReport.render([run], format: .json, coverage: false)
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) is [String: Any])
    }
}
