import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// weighted_mean: 自评分, 群众评分 and 上级党组织评分 weighted together, a missing score's weight shared by the
/// others in proportion ("reweight") or the score counted as 0 ("zero"), with a note that says which.
@Suite struct WeightedMeanTests {
    static func policy(_ call: String, language: String = "zh") -> String {
        """
        return {
          id = "wm", title = "WM", year = 2025, base = 0, language = "\(language)",
          params = { weights = { self = 0.2, masses = 0.3, party = 0.5 } },
          inputs = { units = { "unit_id: text", "name: text", "self: number?", "masses: number?", "party: number?" } },
          rules = { { id = "wm", citation = "第一条", title = "WM",
            score = function(u, p, shared)
              return \(call)
            end } },
        }
        """
    }

    static let rows = "unit_id,name,self,masses,party\nU1,甲,90,80,70\nU2,乙,90,,70\nU3,丙,,,\n"

    static func score(_ call: String, rows: String = rows, language: String = "zh") throws -> Scoresheet {
        try Support.score(try Support.policy(Self.policy(call, language: language)), Support.folder(["units.csv": rows]))
    }

    static let values = "{ self = u.self, masses = u.masses, party = u.party }"

    @Test func allPresentIsTheWeightedMean() throws {
        let sheet = try Self.score("weighted_mean(\(Self.values), shared.weights)", rows: "unit_id,name,self,masses,party\nU1,甲,90,80,70\n")
        let item = sheet.items(of: 0)[0]
        #expect(item.points == Points(integer: 77) && item.note.isEmpty, "\(item)")   // 18 + 24 + 35
    }

    @Test func aMissingScoreIsReweighted() throws {
        let sheet = try Self.score("weighted_mean(\(Self.values), shared.weights)", rows: "unit_id,name,self,masses,party\nU2,乙,90,,70\n")
        let item = sheet.items(of: 0)[0]
        // (18 + 35) / 0.7 = 75.714286 (points keep six decimals)
        #expect(item.points == Points(75.714286), "\(item.points)")
        #expect(item.note == "缺masses（其权重按比例分配）；有效权重 0.7/1", "\(item.note)")
    }

    @Test func orCountedAsZero() throws {
        let sheet = try Self.score("weighted_mean(\(Self.values), shared.weights, { missing = \"zero\", labels = { masses = \"群众评分\" } })",
                                   rows: "unit_id,name,self,masses,party\nU2,乙,90,,70\n")
        let item = sheet.items(of: 0)[0]
        #expect(item.points == Points(integer: 53), "\(item.points)")
        #expect(item.note == "缺群众评分（按0分计）；有效权重 0.7/1", "\(item.note)")
        let en = try Self.score("weighted_mean(\(Self.values), shared.weights, { missing = \"zero\" })",
                                rows: "unit_id,name,self,masses,party\nU2,乙,90,,70\n", language: "en")
        #expect(en.items(of: 0)[0].note == "missing masses (counted as 0); effective weight 0.7 of 1", "\(en.items(of: 0)[0].note)")
    }

    @Test(arguments: [
        ("weighted_mean(\(values), shared.weights)", "every weighted score is missing (masses, party, self)"),
        ("weighted_mean({ self = 1, other = 2 }, shared.weights)", "score 'other' has no weight"),
        ("weighted_mean(\(values), shared.weights, { missing = \"drop\" })", "missing must be \"reweight\" or \"zero\""),
        ("weighted_mean(\(values), shared.weights, { mising = \"zero\" })", "unknown option 'mising'"),
        ("weighted_mean(\(values), { self = -1 })", "the weight of 'self' must be a number >= 0"),
        ("weighted_mean(\(values), { self = 0 })", "the weights add up to 0"),
        ("weighted_mean({ self = 'x' }, shared.weights)", "score 'self' must be a number or nil"),
    ])
    func mistakesAreNamed(call: String, expected: String) throws {
        let error = #expect(throws: PolicyError.self) {
            try Self.score(call, rows: "unit_id,name,self,masses,party\nU3,丙,,,\n")
        }
        #expect(error?.message.contains("weighted_mean: " + expected) == true, "\(error?.message ?? "")")
    }
}
