import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// Numbers beyond what kaohe keeps exactly are errors that say where, never a trap: points (a rule's
/// result, the base, caps, ranges, self-check scores) within ±10⁹, numbers in data below 10¹⁵, workbook rows
/// within Excel's grid. Each of these crashed the process (SIGILL on an Int64 conversion) before.
@Suite struct NumberRangeTests {
    static func policy(base: String = "0", rule: String, extra: String = "") -> String {
        """
        return {
          id = "range-test", title = "Range", year = 2024, base = \(base),
          inputs = { units = { "unit_id: text", "name: text", "x: number" } },
          rules = {
            { id = "r", citation = "第一条", title = "R", score = function(u) \(rule) end },
            \(extra)
          },
        }
        """
    }

    static let units = Support.folder(["units.csv": "unit_id,name,x\nU1,甲,1\nU2,乙,2\n"])

    /// The error a policy gives when scored (or loaded), as text.
    static func failure(_ source: String) -> String {
        do {
            _ = try Support.score(try Support.policy(source), units)
            return "scored"
        } catch {
            return (error as? PolicyError)?.message ?? "\(error)"
        }
    }

    @Test(arguments: [
        ("return 1e300", "returned 1e+300 points for unit U1 (甲)"),
        ("return math.maxinteger", "returned 9.223372036854776e+18 points for unit U1 (甲)"),
        ("return -1e10", "returned -10000000000 points for unit U1 (甲)"),
        ("return 1e9 + 0.5", "returned 1000000000.5 points for unit U1 (甲)"),
        ("return u.x * 1e12", "returned 1000000000000 points for unit U1 (甲)"),
    ])
    func ruleResultsBeyondTheRangeNameTheRuleAndUnit(_ body: String, _ expected: String) {
        let message = Self.failure(Self.policy(rule: body))
        #expect(message.contains("policy.lua:5: rule 'r' \(expected)"), "\(message)")
        #expect(message.contains("between -1,000,000,000 and 1,000,000,000"))
    }

    @Test func theRangeItselfIsKeptExactly() throws {
        let sheet = try Support.score(try Support.policy(Self.policy(rule: "return 1e9", extra: """
            { id = "s", citation = "第二条", title = "S", score = function(u) return -1e9 + 0.000001 end },
            """)), Self.units)
        #expect(sheet.items(of: 0).map(\.points.description) == ["1000000000", "-999999999.999999"])
        #expect(sheet.totals[0].description == "0.000001")
    }

    /// Two rules of 5 × 10¹² each overflowed the total; each is refused on its own now.
    @Test func manyLargeRulesCannotOverflowTheTotal() {
        let message = Self.failure(Self.policy(rule: "return 5e12", extra: """
            { id = "s", citation = "第二条", title = "S", score = function(u) return 5e12 end },
            """))
        #expect(message.contains("rule 'r' returned 5000000000000 points"), "\(message)")
    }

    @Test(arguments: [
        (policy(base: "1e300", rule: "return 0"), "policy.lua:1: the base score is 1e+300"),
        (policy(rule: "return 0", extra: """
            { id = "c", citation = "第二条", title = "C", max = 1e300, score = function(u) return 0 end },
            """), "policy.lua:6: rule 'c': max is 1e+300"),
        (policy(rule: "return 0", extra: """
            { id = "c", citation = "第二条", title = "C", min = -5e12, score = function(u) return 0 end },
            """), "policy.lua:6: rule 'c': min is -5000000000000"),
        (policy(rule: "return 0", extra: """
            { id = "c", citation = "第二条", title = "C", range = { 0, 1e20 }, score = function(u) return 0 end },
            """), "policy.lua:6: rule 'c': range is 1e+20"),
    ])
    func policyNumbersBeyondTheRangeAreRefusedAtLoad(_ source: String, _ expected: String) {
        let message: String
        do {
            _ = try Support.policy(source)
            message = "loaded"
        } catch {
            message = (error as? PolicyError)?.message ?? "\(error)"
        }
        #expect(message.contains(expected) && message.contains("kaohe keeps points exactly only"), "\(message)")
    }

    /// Shipped policies, bad data alone: a Ganzhou study rate of 1e300 (it reached the host in notes and
    /// explain's data rows), a Guangyuan self-check score of 1e300 or 10¹² (summed into the self-check).
    @Test(arguments: [
        ("policies/ganzhou/2023.lua", "policies/ganzhou/sample-2023", "study.csv", "rate", "1e300",
         "is too large for kaohe to read exactly"),
        ("policies/ganzhou/2023.lua", "policies/ganzhou/sample-2023", "study.csv", "rate", "-1e15",
         "is too large for kaohe to read exactly"),
        ("policies/guangyuan/2014.lua", "policies/guangyuan/sample-2014", "selfcheck.csv", "self_score", "1e300",
         "is too large for kaohe to read exactly"),
        ("policies/guangyuan/2014.lua", "policies/guangyuan/sample-2014", "selfcheck.csv", "self_score", "1e12",
         "holds points, which kaohe keeps exactly only between -1,000,000,000 and 1,000,000,000"),
    ])
    func hugeNumbersInShippedDataAreLocatedDataErrors(_ policy: String, _ sample: String, _ file: String,
                                                      _ column: String, _ value: String, _ expected: String) throws {
        let dir = TemporaryDirectory.make()
        try FileManager.default.copyItem(atPath: Repository.path(sample), toPath: dir + "/d")
        let path = dir + "/d/" + file
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false)
        let c = try #require(header.firstIndex { $0 == column })
        // the first data row that has a value in the column
        let row = try #require(lines.indices.dropFirst().first { i in
            let cells = lines[i].split(separator: ",", omittingEmptySubsequences: false)
            return cells.count > c && !cells[c].isEmpty
        })
        var cells = lines[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[c] = value
        lines[row] = cells.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = try PolicyLoader.load(path: Repository.path(policy))
        let error = #expect(throws: DataError.self) { try DatasetLoader.load(policy: loaded, path: dir + "/d") }
        let got = error?.diagnostics.map(\.description) ?? []
        #expect(got.contains { $0.hasPrefix("\(path):\(row + 1):") && $0.contains(": column '\(column)'") && $0.contains(expected) }, "\(got)")
    }

    /// The same bound on numbers that reach a table as JSON numbers (and so as workbook cells do).
    @Test func hugeJSONNumbersAreLocated() throws {
        let dir = Support.folder(["data.json": """
            {"units": [{"unit_id": "U1", "name": "甲", "x": 1e300}, {"unit_id": "U2", "name": "乙", "x": 2}]}
            """])
        let policy = try Support.policy(Self.policy(rule: "return 0"))
        let error = #expect(throws: DataError.self) { try DatasetLoader.load(policy: policy, path: dir + "/data.json") }
        let got = error?.diagnostics.map(\.description) ?? []
        #expect(got.count == 1 && got[0].contains("column 'x': '1e+300' is too large for kaohe to read exactly"), "\(got)")
    }

    @Test func checkedPoints() {
        #expect(Points(checked: 1e9)?.micro == 1_000_000_000_000_000)
        #expect(Points(checked: -1e9)?.micro == -1_000_000_000_000_000)
        for bad in [1e9.nextUp, (-1e9).nextDown, .infinity, -.infinity, .nan, 1e300, Double(Int64.max)] {
            #expect(Points(checked: bad) == nil, "\(bad)")
        }
        #expect(Points(micro: .max).adding(Points(micro: 1)) == nil)
        #expect(Points(micro: 1).adding(Points(micro: 2)) == Points(micro: 3))
        #expect(TestReport.number(1e300) == "1e+300")
        #expect(TestReport.number(2) == "+2")
    }
}
