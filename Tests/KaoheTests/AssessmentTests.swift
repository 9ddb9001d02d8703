import Foundation
import KaoheTestSupport
import Kaohe   // not @testable: everything here goes through the library's public API
import Testing

/// The whole assessment driven through `Assessment` alone, as the command line and a workbench drive it:
/// score two years, save them, settle article 17's multi-year band from the history, explain a unit,
/// compare two policies and two saved runs.
@Suite struct AssessmentTests {
    static func path(_ p: String) -> String { Repository.path(p) }

    static func temporaryStore() throws -> (RunStore, String) {
        let dir = TemporaryDirectory.make()
        return (try RunStore(path: dir + "/history.sqlite"), dir)
    }

    @Test func scoreSaveHistoryExplainAndCompare() throws {
        let (store, dir) = try Self.temporaryStore()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let y2023 = try Assessment.score(policy: Self.path("policies/ganzhou/2023.lua"), data: Self.path("policies/ganzhou/sample-2023"))
        #expect(y2023.unitCount == 23 && y2023.notices.isEmpty)
        // the result does not depend on the number of workers
        let oneWorker = try Assessment.score(policy: Self.path("policies/ganzhou/2023.lua"), data: Self.path("policies/ganzhou/sample-2023"),
                                             options: .init(jobs: 1))
        #expect(oneWorker.totals == y2023.totals && oneWorker.ranking.rank == y2023.ranking.rank)

        guard case .saved(let first) = try Assessment.save(y2023, to: store, label: "2023", kaoheVersion: nil) else {
            Issue.record("the first save was not stored"); return
        }
        #expect(try Assessment.save(y2023, to: store, label: "again", kaoheVersion: nil) == .alreadySaved(first))

        // 2024 with the history: a unit in the bottom 20% in both years gets the two-year band, and only such a unit
        let y2024 = try Assessment.score(policy: Self.path("policies/ganzhou/2024.lua"), data: Self.path("policies/ganzhou/sample-2024"),
                                         history: Assessment.History(store: store))
        let bottom2023 = Set(y2023.order.filter { y2023.ranking.bands[$0].contains("bottom20") }.map { y2023.data.unitIDs[$0] })
        let bottom2024 = Set(y2024.order.filter { y2024.ranking.bands[$0].contains("bottom20") }.map { y2024.data.unitIDs[$0] })
        let twice = Set(y2024.order.filter { y2024.ranking.bands[$0].contains("bottom20-twice") }.map { y2024.data.unitIDs[$0] })
        #expect(!twice.isEmpty && twice == bottom2023.intersection(bottom2024), "\(twice)")
        // without the history, no unit gets it
        let alone = try Assessment.score(y2024.policy, data: y2024.data)
        #expect(alone.ranking.bands.allSatisfy { !$0.contains("bottom20-twice") })

        // explain: the line items add up to the total, and a unit can be named by its name
        let top = y2024.order[0]
        let why = try Assessment.explain(y2024, unit: y2024.data.names[top])
        #expect(why.unitID == y2024.data.unitIDs[top] && why.total == y2024.totals[top])
        #expect(why.rules.reduce(y2024.policy.base) { $0 + $1.item.points } == why.total)

        // two policies on one data set: each unit's change is the difference of its totals
        let pair = try Assessment.compare(old: Self.path("policies/ganzhou/2023.lua"), new: Self.path("policies/ganzhou/2024.lua"),
                                          data: Self.path("policies/ganzhou/sample-2024"))
        for change in pair.comparison.units {
            let a = try #require(pair.old.data.index(ofUnit: change.unit)), b = try #require(pair.new.data.index(ofUnit: change.unit))
            #expect(change.delta == pair.new.totals[b] - pair.old.totals[a], "\(change.unit)")
        }

        // two saved runs
        guard case .saved(let second) = try Assessment.save(y2024, to: store, label: "2024", kaoheVersion: nil) else {
            Issue.record("the 2024 run was not stored"); return
        }
        let runs = try Assessment.compare(runs: first, second, in: store)
        #expect(runs.a.label.hasPrefix("#\(first) ") && runs.b.label.hasPrefix("#\(second) "))
        #expect(throws: HistoryError.noRun(id: 999, path: store.path)) { try Assessment.compare(runs: first, 999, in: store) }
    }

    @Test func unitLookupSaysWhatItFound() throws {
        let sheet = try Assessment.score(policy: Self.path("policies/ganzhou/2023.lua"), data: Self.path("policies/ganzhou/sample-2023"))
        let id = sheet.data.unitIDs[0]
        #expect(try Assessment.unit(id, in: sheet.data) == 0)
        let error = #expect(throws: UnitLookupError.self) { try Assessment.unit(String(id.dropLast()), in: sheet.data) }
        #expect(error?.close.isEmpty == false && error?.sameName.isEmpty == true)
        // the library's message names no command-line option
        #expect(error.map { !$0.description.contains("--") } == true)
        #expect(throws: UnitLookupError.self) { try Assessment.unit("no such unit", in: sheet.data) }
    }

    @Test func aHistoryBandWithoutAJurisdictionIsANotice() throws {
        let dir = TemporaryDirectory.make()
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = try String(contentsOfFile: Self.path("policies/ganzhou/2023.lua"), encoding: .utf8)
            .replacingOccurrences(of: "  jurisdiction = \"ganzhou\",\n", with: "")
        try source.write(toFile: dir + "/p.lua", atomically: true, encoding: .utf8)
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.path("policies/ganzhou/sample-2023")) {
            try FileManager.default.copyItem(atPath: Self.path("policies/ganzhou/sample-2023/" + file), toPath: dir + "/data/" + file)
        }
        let asked = Assessment.History { _, _ in
            Issue.record("a policy without a jurisdiction cannot look up earlier runs")
            return nil
        }
        let sheet = try Assessment.score(policy: dir + "/p.lua", data: dir + "/data", history: asked)
        #expect(sheet.policy.jurisdiction == nil)
        #expect(sheet.notices.map(\.code) == ["history.no-jurisdiction"])
        #expect(sheet.notices.first?.severity == .note)
    }
}
