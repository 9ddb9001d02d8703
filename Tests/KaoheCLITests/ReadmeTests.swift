import Foundation
import Testing
import KaoheCLI
import KaoheTestSupport

/// The README shows real command output: every fenced block whose lines start with `$ kaohe …` is run and
/// must print exactly what the README shows (stdout, then stderr). A line of just `…` (indented or not) stands for any
/// number of lines. Blocks that write history (`--save`) or read it (`compare <run> <run>`) are left out:
/// they depend on what ran before them and on the clock, and HistoryTests covers them.
@Suite(.serialized) struct ReadmeTests {
    struct Example: CustomTestStringConvertible, Sendable {
        var line: Int
        var arguments: [String]
        var expected: [String]
        var testDescription: String { "README.md:\(line): kaohe \(arguments.joined(separator: " "))" }
    }

    static let readme = (Repository.root as NSString).appendingPathComponent("README.md")

    /// The `$ kaohe` examples of the README, in order, each with the lines shown after it.
    static func examples(in text: String) -> [Example] {
        var examples: [Example] = []
        var inBlock = false
        var current: Example?
        var skipBlock = false
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("```") {
                if inBlock, let c = current, !skipBlock { examples.append(c) }
                inBlock.toggle()
                current = nil
                skipBlock = false
                continue
            }
            guard inBlock else { continue }
            if line.hasPrefix("$ kaohe ") {
                if let c = current, !skipBlock { examples.append(c) }
                let arguments = line.dropFirst("$ kaohe ".count).split(separator: " ").map(String.init)
                // a save changes the database later examples read; `serve` runs until Ctrl-C (its API has its own tests)
                if arguments.contains("--save") || (arguments.first == "compare" && !arguments.contains("--policy"))
                    || arguments.first == "serve" {
                    skipBlock = true
                }
                current = Example(line: i + 1, arguments: arguments, expected: [])
            } else if current != nil {
                current!.expected.append(String(line))
            }
        }
        return examples
    }

    /// Whether `actual` matches `expected`, where an expected line `…` matches any run of lines.
    static func matches(_ actual: ArraySlice<String>, _ expected: ArraySlice<String>) -> Bool {
        guard let first = expected.first else { return actual.isEmpty }
        if first.trimmingCharacters(in: .whitespaces) == "…" {
            let rest = expected.dropFirst()
            return (actual.startIndex...actual.endIndex).contains { matches(actual[$0...], rest) }
        }
        guard actual.first == first else { return false }
        return matches(actual.dropFirst(), expected.dropFirst())
    }

    static let cases: [Example] = {
        guard let text = try? String(contentsOfFile: readme, encoding: .utf8) else { return [] }
        return examples(in: text)
    }()

    init() {
        _ = FileManager.default.changeCurrentDirectoryPath(Repository.root)
    }

    @Test func readmeHasExamples() {
        // the Quick start's main job and the examples of every command the README walks through
        let commands = Set(Self.cases.compactMap(\.arguments.first))
        #expect(commands.isSuperset(of: ["score", "explain", "rules", "diff", "compare", "test"]), "\(commands)")
    }

    @Test(arguments: cases)
    func readmeExampleIsRealOutput(_ example: Example) {
        let result = KaoheCommand.capture(example.arguments)
        // as a viewer shows a CSV report: its byte order mark and CRs are not shown
        var text = (result.out + result.err).replacingOccurrences(of: "\r\n", with: "\n")
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var actual = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if actual.last == "" { actual.removeLast() }
        let ok = Self.matches(actual[...], example.expected[...])
        #expect(ok, """
            README.md:\(example.line) shows output that `kaohe \(example.arguments.joined(separator: " "))` does not print; \
            update the README. It prints:
            \(actual.joined(separator: "\n"))
            """)
    }

    @Test func ellipsisMatchesAnyRunOfLines() {
        #expect(Self.matches(["a", "b", "c"], ["a", "…", "c"]))
        #expect(Self.matches(["a", "c"], ["a", "…", "c"]))
        #expect(Self.matches(["a", "b"], ["…"]))
        #expect(!Self.matches(["a", "b", "d"], ["a", "…", "c"]))
        #expect(!Self.matches(["a", "b"], ["a"]))
        #expect(!Self.matches(["a"], ["a", "b"]))
    }
}
