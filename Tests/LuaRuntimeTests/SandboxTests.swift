import Testing
@testable import LuaRuntime

/// The sandbox's promises, one test each: stripped globals, limits, escape routes, and that a sandbox
/// (and the process) still works after a limit trips.
@Suite struct SandboxTests {
    func sandbox(_ limits: LuaLimits = LuaLimits()) throws -> LuaSandbox { try LuaSandbox(limits: limits) }

    @Test(arguments: ["io", "os", "debug", "package", "require", "load", "loadfile", "dofile", "collectgarbage",
                      "coroutine", "print", "loadstring", "module", "_G"])
    func strippedGlobalIsAbsent(name: String) throws {
        let lua = try sandbox()
        #expect(try lua.eval("return type(\(name))") == "nil")
    }

    @Test(arguments: ["string.dump", "math.random", "math.randomseed"])
    func strippedLibraryFunctionIsAbsent(name: String) throws {
        #expect(try sandbox().eval("return type(\(name))") == "nil")
    }

    @Test func allowedLibraryWorks() throws {
        let lua = try sandbox()
        #expect(try lua.eval("return string.format('%d-%s', 3, 'x'), math.max(1, 5), #table.pack(1, 2), utf8.len('考核')")
                == "3-x\t5\t2\t2")
        #expect(try lua.eval("return ('abc'):upper(), string.find('hello world', 'o w')") == "ABC\t5\t7")
    }

    @Test func binaryChunkIsRefused() throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) { try lua.eval("\u{1B}Lua") }
        #expect(error?.kind == .syntax)
        #expect(error?.message.contains("binary chunk") == true)
    }

    @Test func syntaxErrorNamesChunkAndLine() throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) { try lua.eval("local x = 1\nlocal = 2", chunkName: "@p.lua") }
        #expect(error?.kind == .syntax)
        #expect(error?.message.hasPrefix("p.lua:2:") == true)
    }

    @Test func infiniteLoopHitsTimeLimitWithLine() throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) {
            try lua.eval("local n = 0\nwhile true do n = n + 1 end", chunkName: "@loop.lua", seconds: 0.05)
        }
        #expect(error?.kind == .timeLimit)
        #expect(error?.source == "loop.lua")
        #expect(error?.line == 2)
        #expect(try lua.eval("return 1 + 1") == "2")
    }

    @Test func pcallCannotSwallowTheTimeLimit() throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) {
            try lua.eval("while true do pcall(function() while true do end end) end", seconds: 0.05)
        }
        #expect(error?.kind == .timeLimit)
        #expect(try lua.eval("return 'alive'") == "alive")
    }

    @Test func xpcallHandlerCannotSwallowTheTimeLimit() throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) {
            try lua.eval("""
                while true do
                  xpcall(function() while true do end end, function(e) while true do end end)
                end
                """, seconds: 0.05)
        }
        #expect(error?.kind == .timeLimit)
    }

    @Test func memoryCapTripsAndStateRecovers() throws {
        let lua = try sandbox(LuaLimits(memoryBytes: 8 << 20))
        let error = #expect(throws: LuaError.self) {
            try lua.eval("local t = {} for i = 1, 1e9 do t[i] = {i} end", seconds: 600)
        }
        #expect(error?.kind == .memoryLimit)
        #expect(error?.limit == Double(8 << 20))
        #expect(try lua.eval("local t = {} for i = 1, 1000 do t[i] = i end return #t") == "1000")
    }

    @Test func pcallCannotSwallowTheMemoryLimit() throws {
        let lua = try sandbox(LuaLimits(memoryBytes: 8 << 20))
        let error = #expect(throws: LuaError.self) {
            try lua.eval("""
                local keep = {}
                while true do
                  pcall(function() local t = {} for i = 1, 1e9 do t[i] = {i} end end)
                  keep[#keep + 1] = {}
                end
                """, seconds: 600)
        }
        #expect(error?.kind == .memoryLimit)
    }

    @Test(arguments: ["__gc", "__close"])
    func finalizerMetamethodsAreRefused(name: String) throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) {
            try lua.eval("setmetatable({}, {\(name) = function() while true do end end})")
        }
        #expect(error?.message.contains("not allowed") == true)
    }

    @Test func closeAddedAfterSetmetatableDoesNotApply() throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) {
            try lua.eval("""
                local mt = {}
                local t = setmetatable({}, mt)
                mt.__close = function() while true do end end
                do local x <close> = t end
                """, seconds: 0.2)
        }
        #expect(error?.kind == .runtime)
        #expect(error?.message.contains("non-closable") == true)
    }

    @Test func coroutinesAreUnavailable() throws {
        let lua = try sandbox()
        #expect(try lua.eval("return coroutine") == "nil")
        #expect(try lua.eval("return type(string.gmatch('a', 'a'))") == "function")
    }

    @Test func stringRepOfEmptyStringDoesNotSpin() throws {
        let lua = try sandbox()
        #expect(try lua.eval("return #string.rep('', 2^53)", seconds: 0.5) == "0")
        #expect(try lua.eval("return #string.rep('', 1e15, '')", seconds: 0.5) == "0")
    }

    /// table.move copies in C, where the hook never runs: a huge range would spin past any time limit.
    /// 2^25 is refused (it would finish, in about half a second, if it were not, so this cannot hang).
    @Test func tableMoveOfAHugeRangeIsRefused() throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) { try lua.eval("table.move({}, 1, 2^25, 2)", seconds: 5) }
        #expect(error?.message.contains("table.move: 33554432 elements is more than the limit") == true, "\(error?.message ?? "")")
        #expect(try lua.eval("return table.concat(table.move({1, 2, 3}, 1, 3, 2), ',')") == "1,1,2,3")
        #expect(try lua.eval("return #table.move({1, 2, 3}, 2, 3, 1, {})") == "2")
    }

    @Test func manyBoundedMovesStillHitTheTimeLimit() throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) {
            try lua.eval("local t = {} for i = 1, 1e9 do table.move(t, 1, 2^22, 2) end", seconds: 0.3)
        }
        #expect(error?.kind == .timeLimit)
    }

    /// table.insert, remove, sort and concat loop in C up to what __len claims.
    @Test func lengthMetamethodIsRefused() throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) {
            // 2^25 so that, were it allowed, the shift would end (in about a second) rather than hang the test
            try lua.eval("table.insert(setmetatable({}, {__len = function() return 2^25 end}), 1, 0)", seconds: 5)
        }
        #expect(error?.message.contains("__len is not allowed") == true, "\(error?.message ?? "")")
    }

    @Test func stringRepHugeResultIsRefused() throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) { try lua.eval("return string.rep('x', 1e12)") }
        #expect(error?.message.contains("string.rep") == true)
    }

    @Test func pathologicalPatternIsStopped() throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) {
            try lua.eval("return string.find(string.rep('a', 30000), string.rep('a*', 12) .. 'b')", seconds: 30)
        }
        #expect(error?.message.contains("pattern too complex") == true)
        #expect(try lua.eval("return ('x=1'):match('(%w+)=(%d+)')") == "x\t1")
    }

    @Test func librariesAreReadOnly() throws {
        let lua = try sandbox()
        let error = #expect(throws: LuaError.self) { try lua.eval("string.upper = nil") }
        #expect(error?.message.contains("read-only") == true)
        #expect(throws: LuaError.self) { try lua.eval("rawset(string, 'upper', 1)") }
        #expect(throws: LuaError.self) { try lua.eval("getmetatable('').__index = {}") }
        #expect(try lua.eval("return ('a'):upper()") == "A")
    }

    @Test func processKeepsWorkingAcrossManySandboxes() throws {
        for _ in 0..<3 {
            let lua = try sandbox(LuaLimits(memoryBytes: 4 << 20))
            #expect(throws: LuaError.self) { try lua.eval("local s = 'x' while true do s = s .. s end", seconds: 600) }
        }
        #expect(try sandbox().eval("return 6 * 7") == "42")
    }
}
