import Foundation
import Testing
@testable import Kaohe
import LuaRuntime

/// The helpers give the same answers whether they scan a unit's rows in C (a data list with a table
/// filter) or in Lua (a plain array, or a function filter), and the answers are the expected ones.
@Suite struct HelperTests {
    /// A data set with every kind of cell, empty ones included.
    static func data() -> String {
        var units = "unit_id,name\n", rows = "unit_id,kind,n,x,on,memo\n"
        var seed: UInt64 = 42
        func next(_ m: UInt64) -> UInt64 { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return (seed >> 33) % m }
        for u in 1...60 {
            units += "U\(u),单位\(u)\n"
            for _ in 0..<next(12) {
                let kind = ["a", "b", "c", ""][Int(next(4))]
                let n = next(5) == 0 ? "" : String(next(40))
                let x = next(6) == 0 ? "" : String(Double(next(2000)) / 10)
                rows += "U\(u),\(kind),\(n),\(x),\(next(2)),\(next(3) == 0 ? "" : "m\(next(3))")\n"
            }
        }
        return Support.folder(["units.csv": units, "rows.csv": rows])
    }

    /// Expressions over a list `L`; each is scored once over `u.rows` (C) and once over `rows(u.rows)` (Lua).
    static let expressions: [String] = [
        "count(L)",
        "count(L, { kind = 'a' })",
        "count(L, { kind = { 'a', 'c' }, on = true })",
        "count(L, { n = { min = 10, max = 20 } })",
        "count(L, { n = { above = 10, below = 20 } })",
        "count(L, { x = { exists = false } })",
        "count(L, { memo = { exists = true }, kind = 'b' })",
        "sum(L, 'n')",
        "sum(L, 'x', { kind = 'c' })",
        "sum(L, 'on')",
        "any(L, { kind = 'b', n = { min = 30 } }) and 1 or 0",
        "(function() local c = count_by(L, 'kind', { on = false }) return (c.a or 0) * 10000 + (c.b or 0) * 100 + (c.c or 0) end)()",
        "(function() local c = count_by(L, 'n') local s = 0 for k, v in pairs(c) do s = s + k * v end return s end)()",
        "tier_sum(L, 'n', { { below = 10, points = -1 }, { upto = 25, points = 1 }, { points = 3 } }, { n = { exists = true } })",
    ]

    static func policy(_ expression: String, native: Bool) -> String {
        """
        return {
          id = "helpers", title = "H", year = 2024,
          inputs = {
            units = { "unit_id: text", "name: text" },
            rows = { "unit_id: text", "kind: enum(a, b, c)?", "n: integer?", "x: number?", "on: flag", "memo: text?" },
          },
          rules = { { id = "e", title = "E", score = function(u)
            local L = \(native ? "u.rows" : "rows(u.rows)")
            return (\(expression))
          end } },
        }
        """
    }

    @Test(arguments: expressions)
    func nativeAndLuaAgree(expression: String) throws {
        let data = Self.data()
        let native = try Support.score(try Support.policy(Self.policy(expression, native: true)), data)
        let lua = try Support.score(try Support.policy(Self.policy(expression, native: false)), data)
        #expect(native.totals == lua.totals)
        #expect(Set(native.totals).count > 1, "the expression should vary across units")
    }

    /// tier_sum's note, which C builds for a data list, is the tally's note the prelude builds for a plain
    /// array: labels with a prefix, missing labels ("tier 2"), equal labels added up, a label equal to a
    /// made-up one, and points C leaves to the prelude (a fraction, a large number).
    @Test(arguments: [
        "tier_sum(L, 'n', { { below = 10, points = -1, label = '少' }, { upto = 25, points = 1, label = '中' }, { points = 3, label = '多' } }, { n = { exists = true } })",
        "tier_sum(L, 'n', { { below = 10, points = -1 }, { upto = 25, points = 1 }, { points = 3 } }, { n = { exists = true } }, '前缀')",
        "tier_sum(L, 'n', { { below = 10, points = 2, label = 'x' }, { upto = 25, points = 1, label = 'y' }, { points = 2, label = 'x' } }, { n = { exists = true } }, 'p·')",
        "tier_sum(L, 'n', { { below = 10, points = 1, label = 'tier 2' }, { points = 1 } }, { n = { exists = true } })",
        "tier_sum(L, 'n', { { below = 10, points = 0.5, label = 'half' }, { points = 30000000, label = 'big' } }, { n = { exists = true } })",
        "tier_sum(L, 'n', { { below = 10, points = -1 }, { points = 0, label = 7 } }, { n = { exists = true } })",
        "tier_sum(L, 'n', { { below = 0, points = 5, label = 'none' }, { points = 0, label = 'all' } }, { n = { exists = true } })",
    ])
    func tierSumNotesAgree(expression: String) throws {
        func notes(native: Bool) throws -> [String] {
            let source = Self.policy(expression, native: native).replacingOccurrences(of: "return (\(expression))", with: "return \(expression)")
            let sheet = try Support.score(try Support.policy(source), Self.data())
            return (0..<sheet.data.unitCount).map { sheet.notes.note($0) }
        }
        let c = try notes(native: true), lua = try notes(native: false)
        #expect(c == lua)
        #expect(Set(c).count > 1, "the notes should vary across units")
    }

    @Test func countByAndTierSumGiveExpectedValues() throws {
        let dir = Support.folder([
            "units.csv": "unit_id,name\nU1,甲\n",
            "rows.csv": "unit_id,kind,n,x,on,memo\nU1,a,5,1.5,1,\nU1,a,10,,0,m\nU1,b,25,99.99,1,\nU1,,26,120,0,\n",
        ])
        func value(_ e: String) throws -> String {
            try Support.score(try Support.policy(Self.policy(e, native: true)), dir).totals[0].description
        }
        #expect(try value("count(L, { kind = 'a' })") == "2")
        #expect(try value("count(L, { kind = { exists = false } })") == "1")
        #expect(try value("sum(L, 'x')") == "221.49")
        #expect(try value("tier_sum(L, 'x', { { below = 100, points = -2 }, { below = 120, points = 0 }, { points = 2 } }, { x = { exists = true } })") == "-2")
        #expect(try value("count(L, { n = { min = 10, below = 26 } })") == "2")
    }

    @Test(arguments: [
        ("count(L, { nope = 1 })", "count: table 'rows' has no column 'nope'"),
        ("count(L, { n = 'x' })", "column 'n' holds numbers; compare it with a number"),
        ("count(L, { on = 1 })", "column 'on' is a flag; compare it with true or false"),
        ("count(L, { n = { least = 3 } })", "must be a value, a list of values, or a table with min/max/above/below or exists"),
        ("tier_sum(L, 'n', { { below = 10, points = 1 } })", "tier_sum: no tier matches"),
    ])
    func badFiltersAreReported(expression: String, message: String) throws {
        let dir = Support.folder(["units.csv": "unit_id,name\nU1,甲\n", "rows.csv": "unit_id,kind,n,x,on,memo\nU1,a,50,1,1,\n"])
        let p = try Support.policy(Self.policy(expression, native: true))
        let error = #expect(throws: PolicyError.self) { try Support.score(p, dir) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
    }

    @Test func pairsVisitsKeysInAFixedOrder() throws {
        let lua = try LuaRuntime.LuaSandbox()
        let out = try lua.eval("""
            local t = { zeta = 1, alpha = 2, [10] = 3, [2] = 4, mid = 5 }
            local keys = {}
            for k in pairs(t) do keys[#keys + 1] = tostring(k) end
            return table.concat(keys, ",")
            """)
        #expect(out == "2,10,alpha,mid,zeta")
    }
}
