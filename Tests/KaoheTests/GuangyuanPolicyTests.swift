import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// The Guangyuan 2014 target table: 34 rows with their printed maxima (135), each reading at its
/// boundaries, per-county targets, dense ranking and the self-check reconciliation.
@Suite struct GuangyuanPolicyTests {
    static var policy: Policy { get throws { try PolicyLoader.load(path: Repository.path("policies/guangyuan/2014.lua")) } }

    static let maxima: [Double] = [3, 3, 3, 3, 3, 4, 4, 4, 3, 2, 3, 3, 2, 1, 1.5, 1.5, 1.5, 1.5, 1, 2, 2, 2, 3, 3, 2, 2, 2, 2, 2,
                                   15, 10, 10, 15, 15]

    @Test func rowsMatchThePrintedTable() throws {
        let p = try Self.policy
        #expect(p.rules.count == 34)
        #expect(p.rules.map { $0.max ?? -1 } == Self.maxima)
        #expect(p.rules.compactMap(\.max).reduce(Points.zero) { $0 + Points($1) } == Points(integer: 135))
        #expect(p.rules.map(\.citation) == (1...34).map { "第\($0)行" })
        // the printed table itself (a copy of the public notice, Fixtures/seeds/README.md)
        let file = Repository.path("Tests/KaoheTests/Fixtures/seeds/004_794567a7e4afe5d1.txt")
        let seed = String(decoding: try #require(FileManager.default.contents(atPath: file), "missing \(file)"), as: UTF8.self)
        for rule in p.rules { #expect(seed.contains(rule.title), "\(rule.id) text differs from the printed table") }
        #expect(p.ranking == .dense)
    }

    /// Data for one county: every part at `fraction` of its target unless overridden.
    static func county(results: [String: String] = [:], targets: String = "", selfcheck: String = "",
                       perfect: Bool = true) throws -> String {
        let p = try policy
        var rows = "unit_id,indicator,part,actual\n"
        for rule in p.rules {
            guard case .object(let params) = rule.params, case .string(let kind)? = params["kind"],
                  case .array(let parts)? = params["parts"] else { continue }
            for part in parts {
                guard case .object(let o) = part, case .string(let id)? = o["id"] else { continue }
                let key = "\(rule.id).\(id)"
                var value: String
                switch kind {
                case "assessor": value = JSONValue.numberText(rule.max ?? 0)
                case "incidents": value = "0"
                case "guarantee": continue
                default:
                    if case .number(let t)? = o["target"] { value = JSONValue.numberText(t) } else { value = "1" }
                }
                if let v = results[key] { value = v }
                if value.isEmpty { continue }
                rows += "C1,\(rule.id),\(id),\(value)\n"
            }
        }
        for (key, v) in results where key.hasPrefix("r34.") { rows += "C1,r34,deduction,\(v)\n" }
        _ = perfect
        return Support.folder([
            "units.csv": "unit_id,name\nC1,苍溪县\n",
            "results.csv": rows,
            "targets.csv": "unit_id,indicator,part,target\n" + targets,
            "selfcheck.csv": "unit_id,indicator,part,actual,self_score,completed,reason\n" + selfcheck,
        ])
    }

    static func points(_ data: String, _ rule: String) throws -> String {
        let sheet = try Support.score(try policy, data)
        return Support.points(sheet, unit: "C1", rule: rule)!.description
    }

    @Test func aCountyMeetingEveryTargetScores135() throws {
        let sheet = try Support.score(try Self.policy, try Self.county())
        #expect(sheet.totals == [Points(integer: 135)])
    }

    @Test(arguments: [
        // count: max × min(1, actual / target), rounded half up to two decimals
        ("r01.activities", "3", "3"), ("r01.activities", "2", "2"), ("r01.activities", "9", "3"), ("r01.activities", "0", "0"),
        ("r02.volunteers", "13", "2.05"),       // 3 × 13/19 = 2.0526…
        ("r10.trainees", "44", "1.96"),          // 2 × 44/45 = 1.9555…
        ("r27.staffing_rate", "85.5", "1.9"),    // 2 × 85.5/90
        // parts: the mean of the parts' ratios
        ("r04.practice", "4", "2.7"),            // 3 × (4/5 + 2/2) / 2
        ("r08.followers", "2500", "3.6"),        // 4 × (0.5 + 1 + 1 + 1 + 1) / 5
        ("r21.overseas", "0", "1"),              // 2 × (12/12 + 0) / 2
        // yes/no: all or nothing
        ("r14.done", "0", "0"), ("r28.done", "1", "2"),
        // assessor: clamped to [0, max]
        ("r33.score", "12.5", "12.5"), ("r33.score", "20", "15"), ("r33.score", "-2", "0"), ("r17.score", "1.2", "1.2"),
        ("r33.score", "", "0"),
        // incidents: 0.5 each, 1 per especially serious, at most 5 deducted, can go below zero
        ("r18.incidents", "1", "1"), ("r18.incidents", "3", "0"), ("r18.incidents", "12", "-3.5"),
    ])
    func readingsAtTheirBoundaries(part: String, actual: String, expected: String) throws {
        let rule = String(part.prefix(3))
        #expect(try Self.points(try Self.county(results: [part: actual]), rule) == expected)
    }

    @Test func seriousIncidentsCountOne() throws {
        let data = try Self.county(results: ["r18.incidents": "2", "r18.serious": "1"])
        #expect(try Self.points(data, "r18") == "-0.5")   // 1.5 - 2×0.5 - 1
    }

    @Test(arguments: [([String](), "15"), (["2.5"], "12.5"), (["10", "4", "3"], "0")])
    func guaranteeRowDeductsNotBelowZero(deductions: [String], expected: String) throws {
        var rows = "unit_id,indicator,part,actual\n"
        for d in deductions { rows += "C1,r34,deduction,\(d)\n" }
        let base = try Self.county()
        try Data(((try String(contentsOfFile: base + "/results.csv", encoding: .utf8)) + rows.dropFirst("unit_id,indicator,part,actual\n".count)).utf8)
            .write(to: URL(fileURLWithPath: base + "/results.csv"))
        #expect(try Self.points(base, "r34") == expected)
    }

    @Test func halfUpRounding() throws {
        // 3 × 5/8 = 1.875 → 1.88 (half up)
        let data = try Self.county(results: ["r02.volunteers": "5"], targets: "C1,r02,volunteers,8\n")
        #expect(try Self.points(data, "r02") == "1.88")
    }

    @Test func countyTargetsReplaceCangxis() throws {
        let data = try Self.county(results: ["r02.volunteers": "10"], targets: "C1,r02,volunteers,10\n")
        #expect(try Self.points(data, "r02") == "3")
    }

    @Test func selfReportedFiguresStandWhereTheCityRecordedNone() throws {
        let data = try Self.county(results: ["r01.activities": ""], selfcheck: "C1,r01,activities,2,,,\n")
        #expect(try Self.points(data, "r01") == "2")
    }

    @Test func selfCheckFlagsOverClaimsAboveMaxAndMissingExplanations() throws {
        let data = try Self.county(results: ["r01.activities": "2", "r04.practice": "1"], selfcheck: """
            C1,r01,,,3,部分完成,
            C1,r02,,,5,已完成,
            C1,r04,,,1.8,部分完成,场地受限
            """ + "\n")
        let sheet = try Support.score(try Self.policy, data)
        let check = try #require(SelfCheck(sheet, unit: 0))
        let r01 = check.rows[0], r02 = check.rows[1], r04 = check.rows[3]
        #expect(r01.selfScore == Points(integer: 3) && r01.verified == Points(integer: 2))
        #expect(r01.problems == [.overClaimed, .unexplained])
        #expect(r02.problems == [.overClaimed, .aboveMax])
        #expect(r04.problems == [])           // 1.8 = verified 1.8, explained
        #expect(r04.difference == .zero)
        #expect(check.rows[4].problems == [.unreported])
        let report = ScoreReport.render(sheet, format: .selfcheck)
        #expect(report.contains("自查高于核定、未完成且无说明"))
        #expect(report.contains("自查超过分值"))
    }

    @Test func sampleRanksDensely() throws {
        let sheet = try Support.score(try Self.policy, Repository.path("policies/guangyuan/sample-2014"))
        #expect(sheet.unitCount == 7)
        #expect(sheet.data.names.contains("苍溪县"))
        let cangxi = sheet.data.index(ofUnit: "GY07")!
        #expect(sheet.totals[cangxi] == Points(integer: 135))
        #expect(sheet.ranking.rank[cangxi] == 1)
        #expect(Set(sheet.ranking.rank) == Set(1...Set(sheet.totals).count))
    }
}
