import Foundation
import Testing
import Kaohe
import KaoheCLI
import KaoheTestSupport

/// Golden outputs of `kaohe history show` and `kaohe compare RUN RUN` for runs with groups, vetoes, band
/// labels and a band over two years: the groups fixture's 2024 and 2025 runs, saved through the library at
/// fixed times (a run saved by `score --save` would carry the clock) into a fresh database.
@Suite(.serialized) struct HistoryGoldenTests {
    static let fixtures = "Tests/KaoheCLITests/Fixtures/"

    init() {
        _ = FileManager.default.changeCurrentDirectoryPath(Repository.root)
    }

    /// A history holding run 1 (2024) and run 2 (2025, whose 连续两年末位 comes from run 1).
    static func database() throws -> String {
        let db = TemporaryDirectory.make("kaohe-history-golden") + "/history.sqlite"
        let store = try RunStore(path: db)
        let t0 = Date(timeIntervalSince1970: 1_735_000_000)
        let first = try Assessment.score(policy: fixtures + "groups-2024.lua", data: fixtures + "groups")
        _ = try Assessment.save(first, to: store, label: "2024年度", kaoheVersion: "kaohe (golden)", at: t0)
        let second = try Assessment.score(policy: fixtures + "groups-2025.lua", data: fixtures + "groups",
                                          history: Assessment.History(store: store))
        _ = try Assessment.save(second, to: store, label: nil, kaoheVersion: "kaohe (golden)", at: t0.addingTimeInterval(86_400))
        return db
    }

    static let cases: [(name: String, arguments: [String])] = [
        ("history-show-groups", ["history", "show", "2"]),
        ("history-show-groups-json", ["history", "show", "1", "--format", "json"]),
        ("compare-runs-groups", ["compare", "1", "2"]),
        ("compare-runs-groups-json", ["compare", "1", "2", "--format", "json"]),
    ]

    @Test func groupedRunsMatchTheirGoldens() throws {
        let db = try Self.database()
        defer { try? FileManager.default.removeItem(atPath: (db as NSString).deletingLastPathComponent) }
        for c in Self.cases {
            let result = KaoheCommand.capture(c.arguments + ["--db", db])
            #expect(result.code == 0, "\(c.name): \(result.err)")
            // the database's path is a fresh temporary one: the golden names it DB
            let text = "$ kaohe \(c.arguments.joined(separator: " ")) --db DB\n" + result.out
                + (result.err.isEmpty ? "" : "--- stderr\n" + result.err.replacingOccurrences(of: db, with: "DB"))
            try GoldenTests.expectGolden(text, c.name + ".txt")
        }
    }
}
