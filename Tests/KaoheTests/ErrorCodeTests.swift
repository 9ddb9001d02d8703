import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// The sandbox core raises some runtime errors with a stable code, so that the host classifies them without
/// reading their words; a code never outlives its error.
@Suite struct ErrorCodeTests {
    static func code(_ body: String) throws -> String? {
        let source = """
            return {
              id = "codes", title = "Codes", year = 2025, base = 0,
              inputs = { units = { "unit_id: text", "name: text", "a: number" }, rows = { "unit_id: text", "x: number" } },
              rules = { { id = "r", citation = "第一条", title = "R", score = function(u) \(body) end } },
            }
            """
        let data = Support.folder(["units.csv": "unit_id,name,a\nU1,甲,1\n", "rows.csv": "unit_id,x\nU1,2\n"])
        do {
            _ = try Support.score(try Support.policy(source), data)
            return nil
        } catch let e as PolicyError {
            return e.diagnostics.first?.code
        }
    }

    @Test(arguments: [
        ("return u.nosuch", "data.unknown-column"),
        ("return u.rows[1].nosuch", "data.unknown-column"),
        ("return count(u.rows, { nosuch = 1 })", "data.unknown-column"),
        ("return 'five'", "rule.result"),
        ("return 0/0", "rule.result"),
        ("return 1, {}", "rule.result"),
        ("return nil + 1", "lua.runtime"),
        // a coded error caught by the policy does not lend its code to the next one
        ("pcall(function() return u.nosuch end) error('boom')", "lua.runtime"),
    ])
    func runtimeErrorsCarryTheirCode(body: String, expected: String) throws {
        #expect(try Self.code(body) == expected)
    }
}
