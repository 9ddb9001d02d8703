import Foundation
import Testing
@testable import LuaRuntime

/// The prelude in parts: every part is listed once, the names a policy sees come from the sandbox, and a refused
/// policy's problems come back as records as well as text.
@Suite struct PreludeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func everyPartIsLoadedOnce() throws {
        let folder = Self.root.appendingPathComponent("Sources/LuaRuntime/prelude")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".lua") }.map { String($0.dropLast(4)) }
        let listed = LuaSandbox.preludeParts.map(\.name)
        #expect(Set(listed).count == listed.count)
        #expect(Set(files) == Set(listed), "files \(files.sorted()), listed \(listed)")
        for part in LuaSandbox.preludeParts {
            let text = try String(contentsOf: folder.appendingPathComponent(part.name + ".lua"), encoding: .utf8)
            #expect(Array(text.utf8) == part.source, "\(part.name).lua is not what is embedded")
        }
    }

    @Test func theGlobalNamesAreWhatAPolicySees() throws {
        let names = LuaSandbox.globalNames
        #expect(names.globals.contains("tier_sum") && names.globals.contains("string") && names.globals.contains("_VERSION"))
        #expect(!names.globals.contains("load") && !names.globals.contains("debug"))
        #expect(names.library.contains("floor") && names.library.contains("rep") && !names.library.contains("dump"))
        let lua = try LuaSandbox()
        let all = names.globals.map { "\"\($0)\"" }.joined(separator: ", ")
        #expect(try lua.eval("local n = 0 for _, k in ipairs({ \(all) }) do if _ENV[k] ~= nil then n = n + 1 end end return n")
                == String(names.globals.count))
    }

    @Test func theInternalTableIsOutOfReach() throws {
        let lua = try LuaSandbox()
        #expect(try lua.eval("return type(K), type(P), type(H), type(schema), type(check_policy)") == "nil\tnil\tnil\tnil\tnil")
    }

    static let refused = """
        return {
          id = "bad id", title = "T", year = 2024.5,
          inputs = { units = { "unit_id: text", "name: text" } },
          bands = { { id = "top", from = "top", fraction = 2 } },
          rules = {
            { id = "a", title = "A", score = function() return 0 end },
            { id = "a", title = "A", min = 3, max = 1,
              score = function() return 0 end },
          },
        }
        """

    @Test func aRefusedPolicyHasOneRecordPerProblem() throws {
        let lua = try LuaSandbox()
        let error = #expect(throws: LuaError.self) { try lua.loadPolicy(source: Array(Self.refused.utf8), chunkName: "p.lua") }
        let expected = [
            LuaDiagnostic(line: nil, code: "policy.bad-id", message: "policy id 'bad id' may use only letters, digits, '.', '_' and '-'"),
            LuaDiagnostic(line: nil, code: "policy.year-not-integer", message: "policy year must be an integer"),
            LuaDiagnostic(line: 4, code: "band.bad-fraction", message: "band 'top': fraction must be a number in (0, 1] (or give count = places)"),
            LuaDiagnostic(line: 8, code: "rule.duplicate-id", message: "duplicate rule id 'a'"),
            LuaDiagnostic(line: 8, code: "rule.min-above-max", message: "rule 'a': min 3 is greater than max 1"),
        ]
        #expect(error?.diagnostics == expected)
        // the text is the records as "file:line: message" lines
        #expect(error?.message == expected.map { "p.lua:\($0.line ?? 1): \($0.message)" }.joined(separator: "\n"))
    }

    @Test func aFreezeRefusalIsARecordToo() throws {
        let lua = try LuaSandbox()
        let source = """
            local seen = 0
            return { id = "p", title = "T", year = 2024, inputs = { units = { "unit_id: text", "name: text" } },
              rules = { { id = "r", title = "R", score = function()
                seen = seen + 1
                return seen
              end } } }
            """
        let error = #expect(throws: LuaError.self) { try lua.loadPolicy(source: Array(source.utf8), chunkName: "p.lua") }
        #expect(error?.diagnostics?.map(\.code) == ["policy.writes-upvalue"])
        #expect(error?.diagnostics?.first?.line == 4)
        #expect(error?.message.hasPrefix("p.lua:4: rule 'r' writes to 'seen'") == true)
    }

    @Test func aSyntaxErrorHasNoRecords() throws {
        let lua = try LuaSandbox()
        let error = #expect(throws: LuaError.self) { try lua.loadPolicy(source: Array("return {".utf8), chunkName: "p.lua") }
        #expect(error?.kind == .syntax)
        #expect(error?.diagnostics == nil)
        // and a later good policy clears them
        let good = #"return { id = "p", title = "T", year = 2024, inputs = { units = { "unit_id: text", "name: text" } }, rules = { { id = "r", title = "R", score = function() return 0 end } } }"#
        _ = try lua.loadPolicy(source: Array(good.utf8), chunkName: "p.lua")
    }
}
