import Foundation
import Testing
import KaoheCLI
import KaoheTestSupport

/// Golden HTML reports, written with `--output` and compared byte for byte with Goldens/html/<name>.html
/// (open them in a browser to review; KAOHE_RECORD=1 writes them anew). A missing golden fails. The goldens
/// are stored split into lines at `><` (HTMLLines in KaoheTestSupport; reversible), so a diff shows the one
/// line that changed.
@Suite(.serialized) struct HTMLGoldenTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var testDescription: String { name }
    }

    static let ganzhou = ["--policy", "policies/ganzhou/2023.lua", "--data", "policies/ganzhou/sample-2023"]
    static let guangyuan = ["--policy", "policies/guangyuan/2014.lua", "--data", "policies/guangyuan/sample-2014"]
    /// Groups, a vetoed first place, quota bands with score lines, a tie at a quota, two decimals.
    static let awards = ["--policy", "Tests/KaoheCLITests/Fixtures/awards-policy.lua", "--data", "Tests/KaoheCLITests/Fixtures/awards"]

    static let cases: [Case] = [
        Case(name: "bulletin-ganzhou-2023", arguments: ["score"] + ganzhou),
        Case(name: "bulletin-ganzhou-2023-en", arguments: ["score"] + ganzhou + ["--lang", "en"]),
        Case(name: "bulletin-guangyuan-2014", arguments: ["score"] + guangyuan),
        Case(name: "bulletin-awards", arguments: ["score"] + awards),
        Case(name: "bulletin-awards-en", arguments: ["score"] + awards + ["--lang", "en"]),
        Case(name: "notice-GZ07", arguments: ["explain"] + ganzhou + ["--unit", "GZ07"]),
        Case(name: "notice-朝天区", arguments: ["explain"] + guangyuan + ["--unit", "朝天区"]),
        Case(name: "compare-ganzhou-2023-2024", arguments: ["compare", "--policy", "policies/ganzhou/2023.lua",
                                                            "--policy", "policies/ganzhou/2024.lua", "--data", "policies/ganzhou/sample-2024"]),
        Case(name: "compare-groups", arguments: GoldenTests.compareGroups),
        Case(name: "diff-ganzhou-2023-2024", arguments: ["diff", "policies/ganzhou/2023.lua", "policies/ganzhou/2024.lua",
                                                         "--data", "policies/ganzhou/sample-2024"]),
        Case(name: "diff-ganzhou-2023-2024-nodata", arguments: ["diff", "policies/ganzhou/2023.lua", "policies/ganzhou/2024.lua"]),
    ]

    init() {
        _ = FileManager.default.changeCurrentDirectoryPath(Repository.root)
    }

    @Test(arguments: cases)
    func matchesGolden(_ c: Case) throws {
        let dir = TemporaryDirectory.make("kaohe-html")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/report.html"
        let result = KaoheCommand.capture(c.arguments + ["--format", "html", "--output", out])
        #expect(result.code == 0, "stderr: \(result.err)")
        #expect(result.out.isEmpty, "the report goes to --output only")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        try GoldenTests.expectGolden(text, "html/" + c.name + ".html")
    }

    /// The split is reversible, and outputs that differ only in a line break between tags stay different.
    @Test(arguments: ["<a><b>1</b></a>", "<a>\n<b>", "<a>\n\n<b>\n", ">", "<", "x > y <z>", "", "<p>a</p>\n", "<a>>\n<b>"])
    func htmlLinesRoundTrip(_ html: String) {
        #expect(HTMLLines.joined(HTMLLines.split(html)) == html)
        let tagsJoined = html.replacingOccurrences(of: ">\n<", with: "><")
        if tagsJoined != html { #expect(HTMLLines.split(tagsJoined) != HTMLLines.split(html)) }
    }

    @Test func aChangedNumberIsOneChangedLine() {
        let before = "<table><tr><td>1</td><td>2</td></tr>\n<tr><td>3</td></tr></table>"
        let after = before.replacingOccurrences(of: "<td>2</td>", with: "<td>5</td>")
        let diff = TextDiff.summary(expected: HTMLLines.split(before), actual: HTMLLines.split(after))
        #expect(diff.split(separator: "\n").filter { $0.hasPrefix("-") || $0.hasPrefix("+") } == ["- <td>2</td>", "+ <td>5</td>"], "\(diff)")
        #expect(TextDiff.summary(expected: before, actual: before).isEmpty)
    }
}
