import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// "Did you mean …?" on policy errors: one close known name, or nothing.
@Suite struct SuggestionTests {
    @Test(arguments: [
        ("attempt to call a nil value (global 'coutn')", "; did you mean 'count'?"),
        ("attempt to call a nil value (global 'tier_summ')", "; did you mean 'tier_sum'?"),
        ("attempt to index a nil value (global 'mth')", "; did you mean 'math'?"),
        ("attempt to call a nil value (field 'flor')", "; did you mean 'floor'?"),
        ("attempt to call a nil value (method 'uper')", "; did you mean 'upper'?"),
        ("row of 'study' has no field 'raet' (it has: unit_id, period, rate)", "; did you mean 'rate'?"),
        ("tier_sum: table 'study' has no column 'ratee' (it has: unit_id, period, rate)", "; did you mean 'rate'?"),
        // too far from anything, or not a name error at all
        ("attempt to call a nil value (field 'lenght')", ""),
        ("attempt to call a nil value (global 'frobnicate')", ""),
        ("row of 'study' has no field 'score' (it has: unit_id, period, rate)", ""),
        ("attempt to compare number with nil", ""),
        // a global that is set but holds a number is not misspelt
        ("attempt to call a number value (global 'count')", ""),
    ])
    func suggestsOneCloseName(message: String, hint: String) {
        #expect(Suggestions.hint(for: message) == hint)
    }

    @Test func aTieSuggestsNothing() {
        // 'mix' is one edit from both min and max
        #expect(Suggestions.closest(to: "mix", in: ["min", "max"]) == nil)
        #expect(Suggestions.closest(to: "mim", in: ["min", "max"]) == "min")
    }

    @Test func distanceCountsSwapsAsOneEdit() {
        #expect(Suggestions.distance("nmae", "name") == 1)
        #expect(Suggestions.distance("lenght", "len") == 3)
        #expect(Suggestions.distance("", "abc") == 3)
    }

    @Test func everyHelperThePreludeDefinesCanBeSuggested() throws {
        let helpers = try String(contentsOfFile: Repository.path("Sources/LuaRuntime/prelude/helpers.lua"), encoding: .utf8)
        var names: Set<String> = []
        for line in helpers.split(separator: "\n") {
            for prefix in ["function helpers.", "helpers."] where line.hasPrefix(prefix) {
                let name = line.dropFirst(prefix.count).prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                if !name.isEmpty { names.insert(String(name)) }
            }
        }
        #expect(names.count > 15, "\(names)")
        #expect(names.subtracting(Suggestions.globals).isEmpty, "not among the sandbox's globals: \(names.subtracting(Suggestions.globals))")
        // the standard names, and nothing the sandbox strips
        #expect(Set(["pairs", "tostring", "string", "math", "tier_sum", "tally"]).isSubset(of: Suggestions.globals))
        #expect(Set(["floor", "upper", "format", "rep", "sort", "codepoint"]).isSubset(of: Suggestions.libraryFunctions))
        #expect(Set(["load", "debug", "io", "os", "require", "print", "collectgarbage"]).isDisjoint(with: Suggestions.globals))
        #expect(Set(["dump", "random", "randomseed"]).isDisjoint(with: Suggestions.libraryFunctions))
    }

    @Test func everySuggestedGlobalExistsInTheSandbox() throws {
        // a rule that reads each name the sandbox reports: none may be nil
        let list = Suggestions.globals.map { "\"\($0)\"" }.joined(separator: ", ")
        let libs = Suggestions.libraryFunctions.map { "\"\($0)\"" }.joined(separator: ", ")
        let p = try Support.policy("""
            return {
              id = "names", title = "Names", year = 2024, base = 0,
              inputs = { units = { "unit_id: text", "name: text" } },
              rules = { { id = "r", title = "R", score = function(u)
                local missing = {}
                for _, n in ipairs({ \(list) }) do
                  if _ENV[n] == nil then missing[#missing + 1] = n end
                end
                for _, n in ipairs({ \(libs) }) do
                  if string[n] == nil and table[n] == nil and math[n] == nil and utf8[n] == nil then missing[#missing + 1] = n end
                end
                return #missing, table.concat(missing, ",")
              end } },
            }
            """)
        let sheet = try Support.score(p, Support.folder(["units.csv": "unit_id,name\nU1,甲\n"]))
        #expect(sheet.items(of: 0)[0].note == "", "not in the sandbox: \(sheet.items(of: 0)[0].note)")
        #expect(sheet.totals[0] == .zero)
    }
}
