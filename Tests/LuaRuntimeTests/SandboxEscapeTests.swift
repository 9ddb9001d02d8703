import Testing
@testable import LuaRuntime

/// Escapes through kaohe's own objects: metatables the prelude or host made, the read-only proxies of the
/// libraries, and what a script can get from them. Every attack that once looped in C (where the hook never
/// fires) uses a bounded count (2^25), so that before the fix it ends in about a second instead of hanging
/// the suite, and the test fails on its result.
@Suite struct MetatableEscapeTests {
    func sandbox() throws -> LuaSandbox { try LuaSandbox() }

    /// getmetatable of anything a script can make or reach is never a table it can write (a script's own
    /// tables show the script's own metatable, which is never the one in force).
    @Test(arguments: ["tally()", "''", "string", "table", "math", "utf8", "_ENV", "1", "true", "print", "next",
                      "getmetatable", "pairs({})", "tally().add"])
    func reachableMetatablesAreNotTables(value: String) throws {
        let lua = try sandbox()
        let shown = try lua.eval("local ok, v = pcall(function() return \(value) end) return type(getmetatable(v))")
        #expect(shown == "nil" || shown == "boolean", "getmetatable(\(value)) is a \(shown)")
    }

    @Test(arguments: [
        "getmetatable(tally()).__len = function() return 2^25 end table.remove(tally(), 1)",
        "rawset(getmetatable(tally()), '__len', function() return 2^25 end) table.remove(tally(), 1)",
        "getmetatable(tally()).__gc = function() for i = 1, 2^22 do end end local t = tally()",
        "tally().__index.add = function() end",
        "getmetatable(tally()).__index.note = nil",
        "getmetatable('').__len = function() return 2^25 end",
        "getmetatable('').__index.rep = nil",
        "rawset(getmetatable(''), '__index', {})",
        "getmetatable(_ENV).__len = function() return 2^25 end",
        "getmetatable(string).__newindex = nil",
        "setmetatable(string, {})",
        "setmetatable(tally(), { __len = function() return 2^25 end })",
    ])
    func preludeMetatablesCannotBeChanged(attack: String) throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) { try lua.eval(attack, seconds: 5) }
        #expect(error?.kind == .runtime, "\(error?.message ?? "")")
        // and nothing leaked into the next evaluation
        #expect(try lua.eval("local t = tally() t:add(2, 'x') t:add(2, 'x') return t:result()") == "4\tx ×2 +4")
        #expect(try lua.eval("return #string.rep('ab', 3), #tally()") == "6\t0")
    }

    /// pairs and next of a read-only library never hand out the table behind it.
    @Test(arguments: ["string", "table", "math", "utf8"])
    func pairsOfALibraryDoesNotExposeItsContents(lib: String) throws {
        let lua = try sandbox()
        #expect(try lua.eval("local f, s = pairs(\(lib)) return rawequal(s, \(lib))") == "true")
        let error = #expect(throws: LuaError.self) {
            try lua.eval("local _, S = pairs(\(lib)) S.injected = 1")
        }
        #expect(error?.message.contains("read-only") == true, "\(error?.message ?? "")")
        #expect(throws: LuaError.self) { try lua.eval("local _, S = pairs(\(lib)) rawset(S, 'injected', 1)") }
        #expect(try lua.eval("return rawget(\(lib), 'injected'), \(lib).injected") == "nil\tnil")
        #expect(try lua.eval("local n = 0 for k, v in pairs(\(lib)) do n = n + 1 end return n > 0") == "true")
        #expect(try lua.eval("local k, v = next(\(lib)) return type(k), type(v) ~= 'nil'") == "string\ttrue")
    }

    @Test func theStringMethodsStayTheSame() throws {
        let lua = try sandbox()
        _ = try? lua.eval("local _, S = pairs(string) S.upper = function() return 'owned' end")
        _ = try? lua.eval("getmetatable('').__index = { upper = function() return 'owned' end }")
        #expect(try lua.eval("return ('a'):upper(), string.upper('b')") == "A\tB")
    }

    @Test(arguments: ["__mode", "__gc", "__close", "__len"])
    func setmetatableRefuses(field: String) throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) {
            try lua.eval("setmetatable({}, { \(field) = 'k' })")
        }
        #expect(error?.message.contains("not allowed") == true, "\(error?.message ?? "")")
    }
}

/// Nothing a script can observe changes from one run, or one Lua state, to the next.
@Suite struct DeterminismTests {
    /// The same probe in several fresh sandboxes: each Lua state has its own random string hash seed and heap
    /// addresses, which used to show through tostring, '%s', next and the order of a sort's ties.
    static let probe = """
        local words = {}
        for _, w in ipairs({ "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
                             "kappa", "lambda", "mu" }) do words[w] = #w end
        local order = {}
        local k = next(words)
        while k do order[#order + 1] = k k = next(words, k) end
        local paired = {}
        for k in pairs(words) do paired[#paired + 1] = k end
        local t, f = {}, function() end
        -- 300 records with 3 distinct keys in an order that unbalances the quicksort's partitions
        local recs = {}
        for i = 1, 300 do recs[i] = { key = (i * 7919) % 3, id = i } end
        table.sort(recs, function(a, b) return a.key < b.key end)
        local ids = {}
        for i = 1, 300 do ids[i] = recs[i].id end
        return tostring(t), tostring(f), tostring({}), tostring(t), string.format("%s|%s", t, {}),
          table.concat(order, ","), table.concat(paired, ","), table.concat(ids, ",", 1, 40),
          tostring(tally()), tostring(string.upper)
        """

    @Test func freshSandboxesObserveTheSameValues() throws {
        var outputs: Set<String> = []
        for _ in 0..<5 { outputs.insert(try LuaSandbox().eval(Self.probe)) }
        #expect(outputs.count == 1, "\(outputs)")
        let fields = outputs.first!.split(separator: "\t").map(String.init)
        #expect(fields[0] == "table: #1")
        #expect(fields[1] == "function: #2")
        #expect(fields[2] == "table: #3")
        #expect(fields[3] == "table: #1")
        #expect(fields[4] == "table: #1|table: #4")
        #expect(fields[5] == "alpha,beta,delta,epsilon,eta,gamma,iota,kappa,lambda,mu,theta,zeta")
        #expect(fields[6] == fields[5])
        // stable: equal keys keep their first order
        #expect(fields[7].hasPrefix("3,6,9,12,15,18,21"), "\(fields[7])")
    }

    @Test func numbersFollowOneEvaluation() throws {
        let lua = try LuaSandbox()
        #expect(try lua.eval("return tostring({})") == "table: #1")
        #expect(try lua.eval("return tostring({})") == "table: #1")
    }

    @Test(arguments: ["%p", "%10p", "%-p", "x %% %p"])
    func addressesCannotBeFormatted(format: String) throws {
        let lua = try LuaSandbox()
        let error = #expect(throws: LuaError.self) { try lua.eval("return string.format('\(format)', {})") }
        #expect(error?.message.contains("'%p' prints a memory address") == true, "\(error?.message ?? "")")
        #expect(throws: LuaError.self) { try lua.eval("return ('\(format)'):format('s')") }
        #expect(throws: LuaError.self) { try lua.eval("return fmt('\(format)', 1)") }
    }

    @Test func formatStillFormats() throws {
        let lua = try LuaSandbox()
        #expect(try lua.eval("return string.format('%5.2f|%-3s|%d%%|%q|%s', 1.5, 'a', 7, 'x', 12)") == " 1.50|a  |7%|\"x\"|12")
        #expect(try lua.eval("return fmt('%s %s', setmetatable({}, { __tostring = function() return 'T' end }), true)") == "T true")
        #expect(try lua.eval("return fmt('%s', tally())") == "table: #1")
    }

    @Test func nextAndPairsAgree() throws {
        let lua = try LuaSandbox()
        let script = """
            local t = { 3, 1.5, x = 1, [true] = 2, [false] = 3, [-2] = 0, b = 1, [2^70] = 1 }
            local a, b = {}, {}
            for k in pairs(t) do a[#a + 1] = tostring(k) end
            local k = next(t)
            while k ~= nil do b[#b + 1] = tostring(k) k = next(t, k) end
            -- clearing the fields a loop visits is allowed, as with Lua's next
            for k in next, t do t[k] = nil end
            return table.concat(a, " "), table.concat(b, " "), next(t)
            """
        #expect(try lua.eval(script) == "-2 1 2 1.1805916207174e+21 b x false true\t-2 1 2 1.1805916207174e+21 b x false true\tnil")
    }

    @Test func tableKeysHaveNoOrder() throws {
        let lua = try LuaSandbox()
        let error = #expect(throws: LuaError.self) { try lua.eval("for k in pairs({ [{}] = 1, [{}] = 2 }) do end") }
        #expect(error?.message.contains("no order that is the same from one run to the next") == true, "\(error?.message ?? "")")
        #expect(try lua.eval("local n = 0 for k in pairs({ [{}] = 1, a = 2 }) do n = n + 1 end return n") == "2")
    }
}

/// Errors that say where.
@Suite struct ErrorObjectTests {
    @Test(arguments: [("error({})", "a table value"), ("error(nil)", "a nil value"), ("error(true)", "a boolean value"),
                      ("error(tostring)", "a function value"), ("error(7)", "the number 7")])
    func anErrorValueThatIsNotAMessageSaysWhere(statement: String, what: String) throws {
        let lua = try LuaSandbox()
        let error = #expect(throws: LuaError.self) { try lua.eval("local x = 1\n\(statement)", chunkName: "@e.lua") }
        #expect(error?.message == "e.lua:2: error() was given \(what), not a message; give it a string, e.g. error(\"...\")",
                "\(error?.message ?? "")")
    }

    /// __tostring is policy code: it is not called where no time limit runs.
    @Test func aTostringThatNeverEndsIsNotCalled() throws {
        let lua = try LuaSandbox()
        let error = #expect(throws: LuaError.self) {
            try lua.eval("error(setmetatable({}, { __tostring = function() while true do end end }))",
                         chunkName: "@e.lua", seconds: 2)
        }
        #expect(error?.kind == .runtime)
        #expect(error?.message.hasPrefix("e.lua:1: error() was given a table value") == true, "\(error?.message ?? "")")
    }

    @Test func aBinaryChunkIsNamedAsSuch() throws {
        let lua = try LuaSandbox()
        let error = #expect(throws: LuaError.self) {
            try lua.loadPolicy(source: Array("\u{1B}Lua\u{54}\u{00}".utf8), chunkName: "policies/x.lua")
        }
        #expect(error?.kind == .syntax)
        #expect(error?.message.hasPrefix("policies/x.lua: policy files must be Lua source text") == true, "\(error?.message ?? "")")
    }

    @Test(arguments: ["(", "{", "f("])
    func nestingTooDeepNamesTheFileAndWhatToDo(open: String) throws {
        let lua = try LuaSandbox()
        let close = open == "(" ? ")" : open == "{" ? "}" : ")"
        let source = "local x = 1\n-- ((( a comment\nlocal y = " + String(repeating: open, count: 300) + "1"
            + String(repeating: close, count: 300) + "\nreturn y"
        let error = #expect(throws: LuaError.self) {
            try lua.loadPolicy(source: Array(source.utf8), chunkName: "policies/deep.lua")
        }
        #expect(error?.message.hasPrefix("policies/deep.lua:3: the code nests too deeply") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("split the expression") == true)
    }
}
