import Testing
@testable import LuaRuntime

/// A tally's note is built in C in one string when its parts are as tally() made them, and by the prelude's
/// Lua otherwise: both give the same text. A metatable on the tally's `extra` list (which reads the same)
/// sends a twin tally down the Lua path, so each random tally is checked against its twin.
@Suite struct TallyNoteTests {
    @Test func theNoteBuiltInCIsTheNoteBuiltInLua() throws {
        let lua = try LuaSandbox()
        let out = try lua.eval("""
            local seed = 20261204
            local function pick(xs)
              seed = (seed * 1103515245 + 12345) % 2147483648
              return xs[seed % #xs + 1]
            end
            local points = { 1, -1, 0, 2, 2.5, -0.25, 1e15, -1e15, 1e16, 0.1 + 0.2, 1 / 3, -0.0, 3.0, 123456.75, 2^53, -7 }
            local labels = { "报送", "采用", "", "a", "区级网站采用", "x y", "参学率100%—120%" }
            local counts = { 0, 1, 2, 3.0, 1.0, 10 }
            local notes = { "另加 +1", "", "志愿者 ×2 +4" }
            local bad, checked = {}, 0
            for case = 1, 400 do
              local a, b = tally(), tally()
              setmetatable(b.extra, {})
              for _ = 1, case % 9 do
                local op = pick({ "add", "add", "add_n", "merge", "add_if" })
                if op == "add" then
                  local p, l = pick(points), pick(labels)
                  a:add(p, l); b:add(p, l)
                elseif op == "add_n" then
                  local p, l, n = pick(points), pick(labels), pick(counts)
                  a:add(p, l, n); b:add(p, l, n)
                elseif op == "merge" then
                  local p, n = pick(points), pick(notes)
                  a:merge(p, n); b:merge(p, n)
                else
                  local c, p, l = pick({ true, false }), pick(points), pick(labels)
                  a:add_if(c, p, l); b:add_if(c, p, l)
                end
              end
              local na, nb = a:note(), b:note()
              checked = checked + 1
              if na ~= nb then bad[#bad + 1] = case .. ": " .. na .. " | " .. nb end
            end
            return checked, #bad, bad[1] or ""
            """, seconds: 20)
        #expect(out == "400\t0\t", "\(out)")
    }

    @Test(arguments: [
        ("local t = tally() t:add(2.5, 'x', 3) return t:note()", "x ×3 +7.5"),
        ("local t = tally() t:add(1e15, 'x') return t:note()", "x +1000000000000000"),
        ("local t = tally() t:add(-0.0, 'x') return t:note()", "x 0"),
        ("local t = tally() t:add(1/3, 'x') return t:note()", "x +0.333333"),
        ("local t = tally() t:add(-1, 'x', 2.0) return t:note()", "x ×2 -2"),
        ("local t = tally() t:merge(1, 'first') t:add(1, 'a') t:merge(2, 'b') t:add(1, 'a') return t:note()", "first；a ×2 +2；b"),
        ("local t = tally() return t:note()", ""),
        // not as tally() made it: the Lua path and its error
        ("local t = tally() t:add(1, 'x', 2.5) return t:note()", "number has no integer representation"),
        ("local t = tally() t:add(1, 7) return t:note()", "7 +1"),
    ])
    func notesReadAsDocumented(code: String, expected: String) throws {
        let lua = try LuaSandbox()
        do {
            #expect(try lua.eval(code) == expected)
        } catch let error as LuaError {
            #expect(error.message.contains(expected), "\(error.message)")
        }
    }
}
