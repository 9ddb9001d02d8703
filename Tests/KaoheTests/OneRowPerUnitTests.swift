import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// `one_row_per_unit = true` on an input: a unit without its row, or with a second one, is a data error with
/// its location (a missing row used to score 0, a second row was silently ignored by rules reading `[1]`).
@Suite struct OneRowPerUnitTests {
    static func source(_ flag: String = "one_row_per_unit = true") -> String {
        """
        return {
          id = "rows", title = "Rows", year = 2025, base = 0,
          inputs = {
            units = { "unit_id: text", "name: text" },
            dues = { "unit_id: text", "rate: number", \(flag) },
          },
          rules = { { id = "dues", citation = "第二条", title = "团费", score = function(u) return u.dues[1].rate end } },
        }
        """
    }

    static func problems(_ files: [String: String], source: String = source()) throws -> [String] {
        let dir = Support.folder(files)
        do {
            _ = try DatasetLoader.load(policy: try Support.policy(source), path: dir)
            return []
        } catch let e as DataError {
            return e.diagnostics.map { "\($0.code) " + $0.description.replacingOccurrences(of: dir + "/", with: "") }
        }
    }

    static let units = "unit_id,name\nU1,甲\nU2,乙\nU3,丙\n"

    @Test func oneRowEachIsRead() throws {
        #expect(try Self.problems(["units.csv": Self.units, "dues.csv": "unit_id,rate\nU3,90\nU1,95\nU2,80\n"]).isEmpty)
    }

    @Test func aMissingRowIsAnErrorAtTheUnitsLine() throws {
        let found = try Self.problems(["units.csv": Self.units, "dues.csv": "unit_id,rate\nU1,95\nU3,90\n"])
        #expect(found.count == 1 && found[0].hasPrefix("data.missing-row units.csv:3: unit 'U2' has no row in table 'dues'"),
                "\(found)")
    }

    @Test func aSecondRowIsAnErrorAtThatRow() throws {
        let found = try Self.problems(["units.csv": Self.units, "dues.csv": "unit_id,rate\nU1,95\nU2,80\nU3,90\nU1,96\nU1,97\n"])
        #expect(found.count == 2, "\(found)")
        #expect(found.first?.hasPrefix("data.duplicate-row dues.csv:5: a second row for unit 'U1' in table 'dues' (first at line 2)") == true,
                "\(found)")
        #expect(found.last?.hasPrefix("data.duplicate-row dues.csv:6:") == true, "\(found)")
    }

    @Test func inJSONTheLineIsTheRecords() throws {
        let dir = Support.folder(["data.json": """
            {"units": [{"unit_id": "U1", "name": "甲"}, {"unit_id": "U2", "name": "乙"}],
             "dues": [{"unit_id": "U1", "rate": 95}]}
            """])
        let error = #expect(throws: DataError.self) {
            try DatasetLoader.load(policy: try Support.policy(Self.source()), path: dir + "/data.json")
        }
        #expect(error?.diagnostics.map(\.code) == ["data.missing-row"] && error?.diagnostics.first?.line == 1, "\(String(describing: error))")
    }

    @Test func inAWorkbookTheCellIsNamed() throws {
        let book = XLSXWorkbook(sheets: [
            XLSXSheet(name: "units", rows: [[.text("unit_id"), .text("name")], [.text("U1"), .text("甲")], [.text("U2"), .text("乙")]]),
            XLSXSheet(name: "dues", rows: [[.text("unit_id"), .text("rate")], [.text("U1"), .number(95)], [.text("U2"), .number(80)],
                                           [.text("U2"), .number(81)]]),
        ])
        let dir = TemporaryDirectory.make()
        try book.data().write(to: URL(fileURLWithPath: dir + "/book.xlsx"))
        let error = #expect(throws: DataError.self) {
            try DatasetLoader.load(policy: try Support.policy(Self.source()), path: dir + "/book.xlsx")
        }
        #expect(error?.diagnostics.map(\.description).first?.hasSuffix("book.xlsx[dues]!A4: a second row for unit 'U2' in table 'dues' "
                                                                        + "(first at \(dir)/book.xlsx[dues]!A3), which the policy declares one_row_per_unit; keep one") == true,
                "\(String(describing: error))")
    }

    @Test func withoutTheFlagSeveralRowsAreData() throws {
        #expect(try Self.problems(["units.csv": Self.units, "dues.csv": "unit_id,rate\nU1,95\nU1,96\n"], source: Self.source("")).isEmpty)
    }

    @Test func theFlagIsCheckedAndOtherInputFieldsAreUnknown() {
        let wrong = #expect(throws: PolicyError.self) { try Support.policy(Self.source("one_row_per_unit = 1")) }
        #expect(wrong?.diagnostics.map(\.code) == ["input.field-type"])
        let unknown = #expect(throws: PolicyError.self) { try Support.policy(Self.source("one_row = true")) }
        #expect(unknown?.diagnostics.first?.message.hasPrefix("input 'dues': unknown field 'one_row'") == true,
                "\(String(describing: unknown))")
    }
}
