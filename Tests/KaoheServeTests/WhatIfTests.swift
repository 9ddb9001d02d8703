import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Kaohe
@testable import KaoheServe
import KaoheTestSupport
import Testing

/// `POST /api/whatif`: the answer is the library's reports of the edited policy, exactly.
@Suite struct WhatIfTests {
    static let policyPath = "policies/ganzhou/2023.lua"
    static let dataPath = "policies/ganzhou/sample-2023"

    /// The JSON object of `bytes`.
    static func object(_ bytes: [UInt8]) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? NSDictionary)
    }

    /// What `kaohe score --format json` and `kaohe compare --format json` print for the original file and a
    /// copy of it with 青年大学习's threshold at `below` (written to a file, as a user would edit it).
    static func expected(below: Int) throws -> (score: NSDictionary, compare: NSDictionary) {
        let dir = TemporaryDirectory.make("kaohe-whatif")
        let original = Repository.path(policyPath)
        let text = try String(contentsOfFile: original, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "{ below = 120, points = 0", with: "{ below = \(below), points = 0")
        #expect(edited != text || below == 120)
        let file = dir + "/2023.lua"
        try edited.write(toFile: file, atomically: true, encoding: .utf8)
        let data = Repository.path(dataPath)
        let pair = try Assessment.compare(old: original, new: file, data: data)
        let score = try object(Array(ScoreReport.render(pair.new, format: .json).utf8))
        let compare = try object(Array(CompareReport.render(pair.comparison, format: .json, language: .zh).utf8))
        return (score, compare)
    }

    /// The answer split as the report says: results, the rest of the score report, the comparison.
    static func check(_ answer: NSDictionary, below: Int) throws {
        let expected = try expected(below: below)
        let score = try #require(answer["score"] as? NSDictionary).mutableCopy() as! NSMutableDictionary
        score["results"] = answer["results"]
        #expect(score == expected.score as NSDictionary, "below = \(below)")
        #expect(answer["compare"] as? NSDictionary == expected.compare, "below = \(below)")
    }

    @Test func theStudyThresholdAt110IsWhatCompareAndScoreSay() async throws {
        let fixture = try WorkbenchFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/api/whatif", method: .post, headers: fixture.csrfHeaders,
                                     body: WorkbenchFixture.whatIf(params: ["study": ["tiers[2].below": 110]])) { response in
                #expect(response.status == .ok, "\(response.text)")
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                try WhatIfTests.check(response.json, below: 110)
                let compare = try #require(response.json["compare"] as? NSDictionary)
                let moved = (compare["units"] as? [NSDictionary] ?? []).filter { ($0["delta"] as? Double ?? 0) != 0 }
                #expect(!moved.isEmpty, "the edit moves someone")
            }
        }
    }

    @Test func noEditsCompareThePolicyWithItself() async throws {
        let fixture = try WorkbenchFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/api/whatif", method: .post, headers: fixture.csrfHeaders,
                                     body: WorkbenchFixture.whatIf(params: [:])) { response in
                #expect(response.status == .ok)
                try WhatIfTests.check(response.json, below: 120)
            }
        }
    }

    /// 20 what-ifs at once, each with its own threshold, each answered with its own results.
    @Test func concurrentWhatIfsNeverMix() async throws {
        let fixture = try WorkbenchFixture(slots: 3)
        let values = Array(100..<120)
        try await fixture.test { client in
            try await withThrowingTaskGroup(of: (Int, Data).self) { group in
                for below in values {
                    group.addTask {
                        try await client.execute(uri: "/api/whatif", method: .post, headers: fixture.csrfHeaders,
                                                 body: WorkbenchFixture.whatIf(params: ["study": ["tiers[2].below": below]])) { response in
                            #expect(response.status == .ok)
                            return (below, Data(response.body.readableBytesView))
                        }
                    }
                }
                var seen = 0
                for try await (below, answer) in group {
                    try WhatIfTests.check(try WhatIfTests.object(Array(answer)), below: below)
                    seen += 1
                }
                #expect(seen == values.count)
            }
        }
    }

    /// Band fields and the policy's own params take their keys; the answer is the edited policy's.
    @Test func aBandFractionIsEditedUnderBands() async throws {
        let fixture = try WorkbenchFixture()
        try await fixture.test { client in
            try await client.execute(uri: "/api/whatif", method: .post, headers: fixture.csrfHeaders,
                                     body: WorkbenchFixture.whatIf(params: ["bands": ["top20.fraction": 0.4]])) { response in
                #expect(response.status == .ok, "\(response.text)")
                let compare = try #require(response.json["compare"] as? NSDictionary)
                let bands = compare["bands"] as? [NSDictionary] ?? []
                let top = bands.first { $0["band"] as? String == "top20" }
                #expect((top?["entered"] as? [String] ?? []).count > 0, "a larger top band takes more units")
            }
        }
    }

    /// JSON's 0 and 1 are numbers (not true/false), and an integer literal stays an integer.
    @Test(arguments: [0, 1])
    func zeroAndOneAreNumbers(_ factor: Int) async throws {
        let fixture = try WorkbenchFixture(root: try SmallRoot.make())
        try await fixture.test { client in
            try await client.execute(uri: "/api/whatif", method: .post, headers: fixture.csrfHeaders,
                                     body: WorkbenchFixture.whatIf(policy: "policies/x/2026.lua", data: "data",
                                                                   params: ["main": ["factor": factor]])) { response in
                #expect(response.status == .ok, "\(response.text)")
                let results = response.json["results"] as? [NSDictionary] ?? []
                let a = results.first { $0["unit"] as? String == "A" }
                #expect(a?["total"] as? Double == Double(1 * factor + 3))
            }
        }
    }

    /// A data file that changes is read again; one that does not is not.
    @Test func changedDataIsReadAgain() async throws {
        let root = try SmallRoot.make()
        let fixture = try WorkbenchFixture(root: root)
        let request = WorkbenchFixture.whatIf(policy: "policies/x/2026.lua", data: "data", params: ["main": ["factor": 2]])
        @Sendable func totals(_ client: any TestClientProtocol) async throws -> [String: Double] {
            try await client.execute(uri: "/api/whatif", method: .post, headers: fixture.csrfHeaders, body: request) { response in
                #expect(response.status == .ok, "\(response.text)")
                let results = response.json["results"] as? [NSDictionary] ?? []
                return Dictionary(uniqueKeysWithValues: results.map { ($0["unit"] as! String, $0["total"] as! Double) })
            }
        }
        try await fixture.test { client in
            #expect(try await totals(client) == ["A": 5, "B": 7, "C": 9, "D": 11])
            #expect(try await totals(client) == ["A": 5, "B": 7, "C": 9, "D": 11])
            try "unit_id,name,score\nA,甲,10\nB,乙,2\nC,丙,3\nD,丁,4\n".write(toFile: root + "/data/units.csv", atomically: true, encoding: .utf8)
            #expect(try await totals(client) == ["A": 23, "B": 7, "C": 9, "D": 11])
        }
    }
}
