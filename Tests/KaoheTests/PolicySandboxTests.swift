import Foundation
import Testing
@testable import Kaohe
import LuaRuntime

/// The sandbox while scoring: read-only data and params, no leaks between evaluations, limits that name
/// the rule and the unit, and results that do not depend on unit order or thread count.
@Suite struct PolicySandboxTests {
    /// A policy with one rule whose body is `body` (u = unit, p = params).
    static func policy(_ body: String, params: String = "{ k = 1, list = { 1, 2 } }", extra: String = "") throws -> Policy {
        try Support.policy("""
            \(extra)
            return {
              id = "sandbox-test", title = "T", year = 2024, base = 0,
              inputs = { units = { "unit_id: text", "name: text", "v: number" }, rows = { "unit_id: text", "n: integer" } },
              rules = {
                { id = "probe", citation = "第1条", title = "Probe", params = \(params),
                  score = function(u, p)
            \(body)
                  end },
              },
            }
            """)
    }

    static func data(units: Int = 3) -> String {
        var u = "unit_id,name,v\n", r = "unit_id,n\n"
        for i in 1...units {
            u += "U\(i),单位\(i),\(i)\n"
            r += "U\(i),\(i)\nU\(i),\(10 * i)\n"
        }
        return Support.folder(["units.csv": u, "rows.csv": r])
    }

    func failure(_ body: String, params: String = "{ k = 1, list = { 1, 2 } }", extra: String = "",
                 limits: SandboxLimits = SandboxLimits()) throws -> String {
        let p = try Self.policy(body, params: params, extra: extra)
        let error = #expect(throws: PolicyError.self) { try Support.score(p, Self.data(), limits: limits) }
        return error?.message ?? ""
    }

    @Test func rulesReadUnitsListsAndRows() throws {
        let p = try Self.policy("return u.v + sum(u.rows, 'n') + #u.rows, u.name .. ':' .. u.rows[1].n")
        let sheet = try Support.score(p, Self.data())
        #expect(sheet.totals.map(\.description) == ["14", "26", "38"])
        #expect(sheet.items(of: 1)[0].note == "单位2:2")
    }

    @Test(arguments: ["u.v = 5", "u.rows[1].n = 5", "u.rows.x = 1", "u.rows[1] = 1"])
    func inputDataIsReadOnly(statement: String) throws {
        let message = try failure("\(statement) return 0")
        #expect(message.contains("read-only"), "\(message)")
        #expect(message.contains("rule 'probe'"))
        #expect(message.contains("for unit U1"))
    }

    @Test func unknownColumnIsAnErrorNamingTheColumns() throws {
        let message = try failure("return u.rows[1].rate")
        #expect(message.contains("has no field 'rate' (it has: unit_id, n)"), "\(message)")
        #expect(message.contains("policy.lua:8: row of 'rows' has no field"), "\(message)")
    }

    @Test(arguments: ["p.k = 2", "p.list[1] = 9", "table.insert(p.list, 3)", "rawset(p, 'k', 2)", "setmetatable(p, {})"])
    func paramsAreReadOnly(statement: String) throws {
        let message = try failure("\(statement) return 0")
        #expect(message.contains("read-only") || message.contains("protected"), "\(message)")
    }

    // line 8 is the statement; errors raised in C or in the prelude carry no policy position, and the rule's
    // own line (7) stands in
    @Test(arguments: [("rawset(string, 'upper', print) return 0", "7: attempt to modify a read-only value"),
                      ("string.upper = 1 return 0", "8: attempt to modify a read-only value"),
                      ("return string.char(-1)", "8: bad argument #1 to 'char' (value out of range)")])
    func libraryErrorsPointAtThePolicyLineAndNameTheRule(body: String, what: String) throws {
        let message = try failure(body)
        #expect(message.contains("/policy.lua:\(what)"), "\(message)")
        #expect(message.contains("in rule 'probe' (第1条 Probe) for unit U1 (单位1)"), "\(message)")
        #expect(!message.contains("kaohe/prelude"), "\(message)")
    }

    @Test(arguments: [
        ("local t = {} t.self = t", "params.x.self: this table contains itself (as policy.rules[1].params.x)"),
        ("local t = {} local c = t for i = 1, 1e5 do c.x = {} c = c.x end", "tables nest deeper than 32 levels"),
    ])
    func paramsThatAreNotPlainDataAreNamed(extra: String, message: String) throws {
        // before: the description ran out of memory inside the prelude
        let error = #expect(throws: PolicyError.self) { try Self.policy("return 0", params: "{ x = t }", extra: extra) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        // a table used in two places is fine
        let shared = try Self.policy("return p.a[1] + p.b[1]", params: "{ a = s, b = s }", extra: "local s = { 2 }")
        #expect(try Support.score(shared, Self.data()).totals.map(\.description) == ["4", "4", "4"])
    }

    @Test func aPolicyHasAtMostAThousandRules() throws {
        func source(_ n: Int) -> String {
            """
            local rules = {}
            for i = 1, \(n) do rules[i] = { id = "r" .. i, title = "R", score = function() return 0 end } end
            return { id = "many", title = "Many", year = 2024, base = 0,
              inputs = { units = { "unit_id: text", "name: text" } }, rules = rules }
            """
        }
        #expect(try Support.policy(source(1000)).rules.count == 1000)
        let error = #expect(throws: PolicyError.self) { try Support.policy(source(1001)) }
        #expect(error?.message.contains("the policy has 1001 rules; a policy has at most 1000") == true, "\(error?.message ?? "")")
    }

    @Test func notesAreBoundedSoTheHostKeepsThemInMemory() throws {
        // 8192 bytes is kept whole; a longer note is cut at a character boundary and ends with …
        let whole = try Support.score(try Self.policy("return 1, string.rep('x', 8192)"), Self.data())
        #expect(whole.items(of: 0)[0].note == String(repeating: "x", count: 8192))
        let long = try Support.score(try Self.policy("return 1, string.rep('说', 4e5)"), Self.data())
        let note = long.items(of: 0)[0].note
        #expect(note.utf8.count <= 8192)
        #expect(note == String(repeating: "说", count: 2729) + "…", "\(note.utf8.count) bytes")
        #expect(long.totals.map(\.description) == ["1", "1", "1"])
    }

    @Test func aBadResultIsNamedByItsRule() throws {
        let message = try failure("return 'x'")
        #expect(message.contains("/policy.lua:7: rule 'probe' returned string instead of a number of points"), "\(message)")
    }

    @Test func upvalueTablesAreFrozen() throws {
        let message = try failure("CACHE[u.unit_id] = 1 return 0", extra: "local CACHE = {}")
        #expect(message.contains("read-only"), "\(message)")
    }

    @Test func globalsWrittenByOneEvaluationAreNotSeenByAnother() throws {
        let p = try Self.policy("counter = (counter or 0) + 1 seen = seen or u.unit_id return counter, seen")
        let sheet = try Support.score(p, Self.data(units: 1200), jobs: 2)
        #expect(Set(sheet.totals) == [Points(integer: 1)])
        #expect(sheet.items(of: 700)[0].note == "U701")
    }

    @Test func resultsDoNotDependOnThreadCount() throws {
        let p = try Self.policy("return u.v * 0.1 + sum(u.rows, 'n') / 7, tostring(#u.rows)")
        let data = Self.data(units: 2500)
        let one = ScoreReport.render(try Support.score(p, data, jobs: 1), format: .json)
        let two = ScoreReport.render(try Support.score(p, data, jobs: 2), format: .json)
        let eight = ScoreReport.render(try Support.score(p, data, jobs: 8), format: .json)
        #expect(one == two)
        #expect(one == eight)
    }

    @Test func ruleTimeLimitNamesLimitRuleUnitAndLine() throws {
        let message = try failure("if u.unit_id == 'U2' then\n while true do end\n end return 0",
                                  limits: SandboxLimits(ruleSeconds: 0.05))
        #expect(message.contains("policy.lua:9: time limit of 0.05 s exceeded in rule 'probe' (第1条 Probe) for unit U2 (单位2)"), "\(message)")
    }

    @Test func ruleMemoryLimitNamesLimitAndUnit() throws {
        let message = try failure("local t = {} for i = 1, 1e9 do t[i] = {i} end return 0", limits: SandboxLimits(memoryBytes: 8 << 20, loadSeconds: 600, ruleSeconds: 600))
        #expect(message.contains("memory limit of 8 MiB exceeded in rule 'probe'"), "\(message)")
        #expect(message.contains("for unit U1"))
    }

    @Test func scoringWorksAgainAfterALimitTrips() throws {
        _ = try failure("while true do end", limits: SandboxLimits(ruleSeconds: 0.05))
        let p = try Self.policy("return 1")
        #expect(try Support.score(p, Self.data()).totals == [Points(integer: 1), Points(integer: 1), Points(integer: 1)])
    }

    @Test func runawayRecursionIsAnErrorNotACrash() throws {
        // a generous time budget: under load the recursion must reach the stack limit, not the clock
        let message = try failure("local function f(n) return f(n + 1) + 1 end return f(1)", limits: SandboxLimits(loadSeconds: 600, ruleSeconds: 600))
        #expect(message.contains("stack overflow"), "\(message)")
        let p = try Self.policy("return 2")
        #expect(try Support.score(p, Self.data()).totals.count == 3)
    }

    @Test func loadTimeLimitAppliesToTopLevelCode() throws {
        let error = #expect(throws: PolicyError.self) {
            try Support.policy("while true do end", name: "slow.lua", limits: SandboxLimits(loadSeconds: 0.1))
        }
        #expect(error?.message.contains("slow.lua:1: time limit") == true, "\(error?.message ?? "")")
    }

    @Test(arguments: [
        ("return 'x'", "rule 'probe' returned string instead of a number of points"),
        ("return 0/0", "rule 'probe' returned a number of points that is not finite"),
        ("return 1, {}", "rule 'probe' returned a table as its note"),
        ("error('boom')", "policy.lua:8: boom in rule 'probe'"),
    ])
    func badRuleResultsAreReportedWithTheRule(body: String, expected: String) throws {
        let message = try failure(body)
        #expect(message.contains(expected), "\(message)")
    }
}

/// Policy files that cannot be used are reported with file and line.
@Suite struct PolicyValidationTests {
    static let valid = """
        return {
          id = "v", title = "V", year = 2024,
          inputs = { units = { "unit_id: text", "name: text" } },
          rules = { { id = "a", title = "A", score = function() return 0 end } },
        }
        """

    @Test func validPolicyLoads() throws {
        let p = try Support.policy(Self.valid)
        #expect(p.id == "v")
        #expect(p.ranking == .competition)
        #expect(p.rules.map(\.id) == ["a"])
    }

    @Test(arguments: [
        ("return {", "policy.lua:1: unexpected symbol near <eof>"),
        ("local x = 1\nerror('stop here')", "policy.lua:2: stop here"),
        ("return 5", "policy.lua:1: the policy file must end with `return { ... }`"),
        ("return { title = 'x', year = 2024, inputs = { units = { 'unit_id: text', 'name: text' } }, rules = { { id = 'a', title = 'A', score = function() return 0 end } } }",
         "policy.lua:1: policy field 'id' is missing"),
        ("return { id = 'x', title = 'x', year = 2024, ranking = 'olympic', inputs = { units = { 'unit_id: text', 'name: text' } }, rules = { { id = 'a', title = 'A', score = function() return 0 end } } }",
         "unknown ranking 'olympic'"),
        ("return { id = 'x', title = 'x', year = 2024, inputs = { units = { 'unit_id: text', 'name: text' } }, rules = {\n { id = 'a', title = 'A', score = function() return 0 end },\n { id = 'a', title = 'B', score = function() return 0 end } } }",
         "policy.lua:3: duplicate rule id 'a'"),
        ("return { id = 'x', title = 'x', year = 2024, inputs = { units = { 'unit_id: text', 'name: text', 'rate: decimal' } }, rules = { { id = 'a', title = 'A', score = function() return 0 end } } }",
         "unknown type 'decimal'"),
        ("return { id = 'x', title = 'x', year = 2024, inputs = { units = { 'unit_id: text', 'name: text' } }, rules = { { id = 'a', title = 'A', min = 5, max = 1, score = function() return 0 end } } }",
         "rule 'a': min 5 is greater than max 1"),
        ("return { id = 'x', title = 'x', year = 2024, bands = { { id = 't', from = 'top', fraction = 1.5 } }, inputs = { units = { 'unit_id: text', 'name: text' } }, rules = { { id = 'a', title = 'A', score = function() return 0 end } } }",
         "band 't': fraction must be a number in (0, 1]"),
        ("return { id = 'x', title = 'x', year = 2024, inputs = { units = { 'unit_id: text', 'name: text' }, rows = { 'n: integer' } }, rules = { { id = 'a', title = 'A', score = function() return 0 end } } }",
         "input 'rows' must have a 'unit_id' column"),
        ("return { id = 'x', title = 'x', year = 2024, bands = { { id = 't', from = 'history', band = 'nope', years = 2 } }, inputs = { units = { 'unit_id: text', 'name: text' } }, rules = { { id = 'a', title = 'A', score = function() return 0 end } } }",
         "band 't' repeats band 'nope', which is not a top or bottom band"),
        ("return { id = 'x', title = 'x', year = 2024, bands = { { id = 'b', from = 'bottom', fraction = 0.2 }, { id = 't', from = 'history', band = 'b', years = 1 } }, inputs = { units = { 'unit_id: text', 'name: text' } }, rules = { { id = 'a', title = 'A', score = function() return 0 end } } }",
         "band 't': years must be an integer of at least 2"),
    ])
    func badPolicyIsReported(source: String, expected: String) throws {
        let error = #expect(throws: PolicyError.self) { try Support.policy(source) }
        #expect(error?.message.contains(expected) == true, "\(error?.message ?? "")")
    }

    @Test func shippedPolicyDescribesItself() throws {
        let p = try Support.ganzhou2023
        #expect(p.id == "ganzhou-2023")
        #expect(p.base == Points(integer: 100))
        #expect(p.bands.map(\.id) == ["top20", "bottom20", "bottom20-twice"])
        #expect(p.bands[2].isHistory && p.bands[2].band == "bottom20" && p.bands[2].years == 2)
        #expect(p.inputs.map(\.name) == ["units", "articles", "events", "study", "volunteer", "youth_home"])
        #expect(p.rules.map(\.citation) == ["第九条", "第十条", "第十一条", "第十二条", "第十三条", "第十四条", "第十五条"])
    }
}
