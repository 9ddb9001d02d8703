import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import Kaohe
@testable import KaoheServe
import KaoheTestSupport
import Testing

/// The workbench in a real browser: `scripts/workbench-browser-test` (Python Playwright driving Debian's
/// Chromium) against a live server on a free port, over a temporary root holding Ganzhou 2023, its tests and
/// sample-2023. The script changes 青年大学习's tiers[2].below from 120 to 110 in the what-if form and reads the
/// units the page shows moving; they must be the library's comparison of the same edit. It then saves the
/// edit as 2026; `PolicyDiff` of the two files must show that change and only what `kaohe new` changes. On
/// the upload page it picks a broken copy of the sample (refused, with the loader's locations) and then the
/// sample itself (kept as data/uploaded, scored).
///
/// Runs with KAOHE_BROWSER_TESTS=1 (as `.ci/run` sets it, after scripts/setup-browser has installed Chromium
/// and Playwright); KAOHE_RECORD_SCREENSHOTS=1 also writes docs/workbench-*.png.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["KAOHE_BROWSER_TESTS"] == "1",
                             "set KAOHE_BROWSER_TESTS=1 (after scripts/setup-browser) to drive the workbench in Chromium"))
struct BrowserWorkbenchTests {
    static let environment = ProcessInfo.processInfo.environment
    static let chromium = environment["KAOHE_CHROMIUM"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/bin/chromium"

    /// What the script saw (its --out JSON).
    struct Seen: Decodable {
        struct Moved: Decodable, Equatable { var unit: String; var rank_a: Int; var rank_b: Int; var delta: Double }
        struct Band: Decodable, Equatable { var band: String; var entered: [String]; var left: [String] }
        var console_errors: [String]
        var foreign: [String]?
        var index_policies: [String]
        var score_rows: Int
        var unit_title: String
        var invalid_message: String
        var invalid_marked: Bool
        var below_before: String
        var moved: [Moved]
        var bands: [Band]
        var saved_url: String
        var saved_sections: [String]
        var saved_tests: [String]
        var upload_error: String
        var upload_locations: [String]
        var uploaded_url: String
        var uploaded_rows: Int
        var diff_title: String
        var compare_title: String
        var history_title: String
    }

    /// Runs the script on a thread of its own (the server keeps answering) and returns what it saw.
    static func drive(port: Int, work: String, sample: String, screenshots: String?) async throws -> Seen {
        let out = work + "/seen.json"
        var arguments = [Repository.path("scripts/workbench-browser-test"), "--url", "http://127.0.0.1:\(port)/", "--out", out,
                         "--chromium", chromium, "--sample", sample, "--broken", work + "/broken"]
        if let screenshots { arguments += ["--screenshots", screenshots] }
        let command = ["python3"] + arguments
        let result: Result<Subprocess.Result, any Error> = await withCheckedContinuation { c in
            Thread.detachNewThread { c.resume(returning: Result { try Subprocess.run("/usr/bin/env", command, timeout: 600) }) }
        }
        let run = try result.get()
        if run.errText.contains("No module named 'playwright'") {
            Issue.record("Playwright is missing: run scripts/setup-browser (python3 -m pip install playwright, no browser download)")
        }
        try #require(run.status == 0, "scripts/workbench-browser-test exited \(run.status): \(run.errText)")
        return try JSONDecoder().decode(Seen.self, from: try Data(contentsOf: URL(fileURLWithPath: out)))
    }

    @Test func theStudyThresholdAt110MovesTheUnitsCompareSaysAndSavesAs2026() async throws {
        let root = try SaveTests.ganzhouRoot()
        let work = TemporaryDirectory.make("kaohe-browser")
        let screenshots = Self.environment["KAOHE_RECORD_SCREENSHOTS"] == "1" ? Repository.path("docs") : nil
        let sample = root + "/policies/ganzhou/sample-2023"
        // the data set the upload must refuse: sample-2023 with one rate that is not a number
        let broken = work + "/broken"
        try FileManager.default.copyItem(atPath: sample, toPath: broken)
        var lines = try String(contentsOfFile: broken + "/study.csv", encoding: .utf8).components(separatedBy: "\n")
        var cells = lines[2].components(separatedBy: ",")
        cells[cells.count - 1] = "九十"
        lines[2] = cells.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: broken + "/study.csv", atomically: true, encoding: .utf8)
        let fixture = try WorkbenchFixture(root: root)
        let seen = try await fixture.test(.live) { client in
            try await Self.drive(port: try #require(client.port), work: work, sample: sample, screenshots: screenshots)
        }
        #expect(seen.foreign ?? [] == [], "the pages loaded nothing from elsewhere")
        // the one console error: the invalid value's 422
        #expect(seen.console_errors.filter { !$0.contains("status of 422") } == [])
        #expect(seen.index_policies == ["policies/ganzhou/2023.lua"])
        #expect(seen.score_rows == 23)
        #expect(seen.unit_title.hasPrefix("龙渠乡"))
        #expect(seen.invalid_marked)
        #expect(seen.invalid_message.contains("policies/ganzhou/2023.lua:25: band 'top20': fraction must be a number in (0, 1]"), "\(seen.invalid_message)")
        #expect(seen.below_before == "120")

        // the library's comparison of the same edit, made in a copy of the file
        let original = try PolicyLoader.load(path: root + "/policies/ganzhou/2023.lua")
        let editedFile = work + "/2023.lua"
        let text = try String(contentsOfFile: root + "/policies/ganzhou/2023.lua", encoding: .utf8)
        try text.replacingOccurrences(of: "{ below = 120, points = 0", with: "{ below = 110, points = 0")
            .write(toFile: editedFile, atomically: true, encoding: .utf8)
        let pair = try Assessment.compare(old: root + "/policies/ganzhou/2023.lua", new: editedFile, data: root + "/policies/ganzhou/sample-2023")
        let expectedMoves = pair.comparison.units
            .filter { $0.delta != .zero || $0.a?.rank != $0.b?.rank || !$0.bandsEntered.isEmpty || !$0.bandsLeft.isEmpty }
            .map { Seen.Moved(unit: $0.unit, rank_a: $0.a?.rank ?? 0, rank_b: $0.b?.rank ?? 0, delta: $0.delta.doubleValue) }
        #expect(!expectedMoves.isEmpty)
        #expect(seen.moved.sorted { $0.unit < $1.unit } == expectedMoves.sorted { $0.unit < $1.unit })
        let expectedBands = pair.comparison.bandChanges.filter { !$0.entered.isEmpty || !$0.left.isEmpty }
            .map { Seen.Band(band: $0.band, entered: $0.entered, left: $0.left) }
        #expect(seen.bands == expectedBands)
        #expect(seen.bands.contains(Seen.Band(band: "top20", entered: [], left: ["GZ20"])))

        // saved as 2026: exactly that change besides id, year and parent; the page it led to
        let saved = root + "/policies/ganzhou/2026.lua"
        #expect(FileManager.default.fileExists(atPath: saved))
        #expect(SaveTests.changes(original, try PolicyLoader.load(path: saved)) == SaveTests.studyAt110As2026)
        #expect(seen.saved_url.hasSuffix("/policy?policy=policies/ganzhou/2026.lua&data=policies/ganzhou/sample-2023"))
        #expect(seen.saved_sections == ["检查（kaohe check）", "测试（kaohe test）", "与上一版办法的差异（kaohe diff）"])
        #expect(seen.saved_tests.first?.contains("FAIL  test_study_rate_119_99_scores_nothing") == true)

        // the upload: refused with the loader's own locations, then the sample kept as data/uploaded
        let error = try #require(throws: DataError.self) { try Assessment.data(broken, policy: original) }
        #expect(seen.upload_locations == error.diagnostics.map { $0.location.replacingOccurrences(of: broken + "/", with: "data/broken/") })
        #expect(seen.upload_locations.first?.hasPrefix("data/broken/study.csv:3") == true, "\(seen.upload_locations)")
        #expect(seen.uploaded_url.hasSuffix("/score?policy=policies/ganzhou/2023.lua&data=data/uploaded"))
        #expect(seen.uploaded_rows == 23)
        // the diff and compare pages of 2023 and the saved 2026, and the (empty) history
        #expect(seen.diff_title.contains("2026"), "\(seen.diff_title)")
        #expect(seen.compare_title.contains("2026"), "\(seen.compare_title)")
        #expect(!seen.history_title.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: root + "/data/broken"))
    }
}
