import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ZIPFoundation
@testable import Kaohe
import KaoheCLI
import KaoheTestSupport

/// Every output format under the hostile fixture (`Hostile`): terminal text shows control and bidi characters
/// as `\u{HEX}`, CSV never starts a formula, Markdown and HTML hold no markup or links from the data, JSON
/// escapes and round-trips, and XLSX cells are strings.
@Suite(.serialized) struct HostileOutputTests {
    let dir: String

    init() throws {
        _ = FileManager.default.changeCurrentDirectoryPath(Repository.root)
        dir = try Hostile.fixture()
    }

    var policy: String { dir + "/hostile.lua" }
    var policy2: String { dir + "/hostile2.lua" }
    var data: String { dir + "/data.json" }
    var score: [String] { ["score", "--policy", policy, "--data", data] }
    var compare: [String] { ["compare", "--policy", policy, "--policy", policy2, "--data", data] }

    func run(_ arguments: [String], code: Int32 = 0, terminal: Bool = false,
             sourceLocation: SourceLocation = #_sourceLocation) -> (out: String, err: String) {
        let r = KaoheCommand.capture(arguments, terminal: terminal)
        #expect(r.code == code, "kaohe \(arguments.joined(separator: " ")): \(r.err)", sourceLocation: sourceLocation)
        return (r.out, r.err)
    }

    /// No raw control or bidi character; what the data held is shown escaped.
    func expectVisible(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(Hostile.raw(text).isEmpty, "\(what) holds raw \(Hostile.raw(text))", sourceLocation: sourceLocation)
        #expect(text.contains("\\u{1B}[2J"), "\(what) does not show ESC as \\u{1B}", sourceLocation: sourceLocation)
        #expect(text.contains("\\u{202E}"), "\(what) does not show U+202E", sourceLocation: sourceLocation)
    }

    /// The names the data loads as, by unit id (from JSON, which round-trips).
    func loadedNames() throws -> [String: String] {
        let json = try JSONSerialization.jsonObject(with: Data(run(score + ["--format", "json"]).out.utf8)) as! [String: Any]
        let results = json["results"] as! [[String: Any]]
        return Dictionary(uniqueKeysWithValues: results.map { ($0["unit"] as! String, $0["name"] as! String) })
    }

    @Test func textReportsShowControlsAndBidiVisibly() throws {
        _ = run(["score", "--policy", policy, "--data", data, "--save", "--label", Hostile.strings[0] + Hostile.strings[2],
                 "--db", dir + "/h.sqlite"])
        let reports: [(String, [String], Int32)] = [
            ("score table", score, 0),
            ("score table en", score + ["--lang", "en"], 0),
            ("explain text", ["explain", "--policy", policy, "--data", data, "--unit", "H01"], 0),
            ("explain of a hostile id", ["explain", "--policy", policy, "--data", data, "--unit", "\u{1B}[2J"], 0),
            ("rules table", ["rules", "--policy", policy], 0),
            ("diff table", ["diff", policy, policy2], 0),
            ("compare table", compare, 0),
            ("history list", ["history", "list", "--db", dir + "/h.sqlite"], 0),
            ("history show", ["history", "show", "1", "--db", dir + "/h.sqlite"], 0),
            ("test text", ["test", policy, "--coverage"], 1),
        ]
        for (what, arguments, code) in reports {
            let (out, err) = run(arguments, code: code)
            expectVisible(out, what)
            #expect(Hostile.raw(err).isEmpty, "\(what) stderr holds raw \(Hostile.raw(err))")
        }
        // a table row per unit: no value breaks its row
        let table = run(score).out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(table.count == 1 + 1 + Hostile.units.count + 2 + 1, "\(table.count) lines")
        for (id, name) in try loadedNames() {
            #expect(table.contains { $0.contains(TerminalText.escaped(id)) && $0.contains(TerminalText.escaped(name)) }, "\(id)")
        }
        // a message can neither forge a test line nor the closing count
        let test = run(["test", policy], code: 1).out
        #expect(test.hasSuffix("\n1 passed, 3 failed\n"), "\(test)")
        let lines = test.split(separator: "\n")
        #expect(!lines.contains { $0.hasPrefix("5 passed") || $0.hasPrefix("0 failed") || $0.hasPrefix("PASS") })
        #expect(test.contains("  PASS  test_\\u{1B}[2Jinvoice\\u{202E}fdp.exe\\u{A}PASS\n"), "\(test)")
    }

    @Test func errorsAndDiagnosticsShowControlsVisibly() throws {
        // a unit that is not there, named by hostile text
        let (_, err) = run(["explain", "--policy", policy, "--data", data, "--unit", "\u{1B}]8;;http://x\u{07}\u{202E}"], code: 1)
        #expect(err.contains("no unit '\\u{1B}]8;;http://x\\u{7}\\u{202E}'"), "\(err)")
        #expect(Hostile.raw(err).isEmpty)
        // a policy that raises hostile text while loading, under score and check
        let bad = dir + "/bad.lua"
        try Data("error(\(Hostile.lua(Hostile.strings[0] + Hostile.strings[2] + Hostile.strings[13])))\n".utf8)
            .write(to: URL(fileURLWithPath: bad))
        for arguments in [["score", "--policy", bad, "--data", data], ["check", bad], ["rules", "--policy", bad]] {
            let (out, err) = run(arguments, code: 1)
            #expect(Hostile.raw(out + err).isEmpty, "\(arguments[0]): \(Hostile.raw(out + err))")
            #expect(err.contains("\\u{1B}[2Jinvoice\\u{202E}fdp.exe"), "\(arguments[0]): \(err)")
        }
        // a data error quoting a hostile cell
        let badData = dir + "/bad.json"
        try Data("{\"units\": [{\"unit_id\": \"H1\", \"name\": \"n\", \"note\": \"\", \"points\": \"\\u001b[2J\\u202e\"}]}".utf8)
            .write(to: URL(fileURLWithPath: badData))
        let data = run(["score", "--policy", policy, "--data", badData], code: 1).err
        #expect(data.contains("got '\\u{1B}[2J\\u{202E}'"), "\(data)")
        #expect(Hostile.raw(data).isEmpty)
        // an argument the parser rejects
        let usage = run(["score", "--policy", policy, "--data", self.data, "--format", "\u{1B}[2J"], code: 2).err
        #expect(usage.contains("\\u{1B}[2J"), "\(usage)")
        #expect(Hostile.raw(usage).isEmpty)
    }

    /// RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
    /// RFC 4180 as a spreadsheet reads kaohe's CSV: a leading byte order mark, rows ended by CRLF (or LF).
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var it = scalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let c = pending ?? it.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = it.next() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = n }
                    } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\n" {
                row.append(field); rows.append(row); row = []; field = ""
            } else if c == "\r", let n = it.next() {
                if n == "\n" { row.append(field); rows.append(row); row = []; field = "" } else { field.unicodeScalars.append(c); pending = n }
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// Whether a spreadsheet would take the cell for a formula: it begins with one of these.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]

    @Test func csvCellsNeverStartAFormulaAndKeepEveryCharacter() throws {
        let names = try loadedNames()
        for (what, arguments, nameColumn) in [("score", score + ["--format", "csv"], 2), ("compare", compare + ["--format", "csv"], 1)] {
            let rows = Self.parseCSV(run(arguments).out)
            #expect(rows.count == Hostile.units.count + 1, "\(what): \(rows.count) rows")
            let idColumn = what == "score" ? 1 : 0
            for row in rows.dropFirst() {
                for cell in row {
                    guard let first = cell.unicodeScalars.first, Self.formulaStarts.contains(first) else { continue }
                    #expect(Double(cell) != nil, "\(what): cell \(cell.debugDescription) starts a formula")
                }
                // the cell is the value with a ' in front, nothing removed
                let id = row[idColumn].hasPrefix("'") ? String(row[idColumn].dropFirst()) : row[idColumn]
                let name = try #require(names[id], "\(what): unknown id \(row[idColumn].debugDescription)")
                let starts = name.unicodeScalars.first.map { Self.formulaStarts.contains($0) } ?? false
                #expect(row[nameColumn] == (starts && Double(name) == nil ? "'" + name : name), "\(what): \(row[nameColumn].debugDescription)")
            }
            // a real negative number stays a number
            #expect(rows.contains { $0[nameColumn] == "-3.5" }, "\(what)")
        }
        // English: the machine names and band ids (the policy's language gives band labels)
        let csv = Self.parseCSV(run(score + ["--format", "csv", "--lang", "en"]).out)
        #expect(csv.first == ["rank", "unit", "name", "total", "bands"])
        #expect(csv.contains { $0[3] == "-9.5" }, "a negative total stays a number")
        // the band id "\t=1+2" (policy text, not trimmed like data): its TAB kept behind the '
        #expect(csv.contains { $0[4] == "'\t=1+2" }, "\(csv.map { $0[4] })")
        // the rule CSVText applies, case by case
        for (value, cell) in [("=1+2", "'=1+2"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"), ("@SUM(1)", "'@SUM(1)"),
                              ("\t=1+2", "'\t=1+2"), ("\r=1+2", "\"'\r=1+2\""), ("-2+3", "'-2+3"), ("＝1+2", "'＝1+2"),
                              ("＋1", "'＋1"), ("－1", "'－1"), ("＠A1", "'＠A1"), ("-3.5", "-3.5"), ("+2", "+2"), ("1e-7", "1e-7"),
                              ("-", "'-"), ("-.5", "-.5"), ("-1e", "'-1e"), ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
                              ("a=b", "a=b"), ("", "")] {
            #expect(CSVText.cell(value) == cell, "\(value.debugDescription) → \(CSVText.cell(value).debugDescription)")
        }
    }

    @Test func csvOnATerminalIsEscaped() throws {
        let (piped, _) = run(score + ["--format", "csv"])
        #expect(piped.contains("\u{1B}[2J"), "written to a file or pipe, CSV keeps the data as it is")
        let (shown, _) = run(score + ["--format", "csv"], terminal: true)
        expectVisible(shown, "csv on a terminal")
        let (markdown, _) = run(score + ["--format", "markdown"], terminal: true)
        expectVisible(markdown, "markdown on a terminal")
    }

    @Test func jsonEscapesEveryControlAndRoundTrips() throws {
        let names = try loadedNames()
        for (i, s) in Hostile.strings.enumerated() {
            #expect(names[String(format: "H%02d", i + 1)] == Hostile.loaded(s), "\(s.debugDescription)")
        }
        for arguments in [score + ["--format", "json"], ["explain", "--policy", policy, "--data", data, "--unit", "H03", "--format", "json"],
                          ["rules", "--policy", policy, "--format", "json"], ["diff", policy, policy2, "--format", "json"],
                          compare + ["--format", "json"], ["test", policy, "--format", "json"]] {
            let r = KaoheCommand.capture(arguments)
            #expect(Hostile.raw(r.out, allowing: ["\n"]).isEmpty, "\(arguments[0]): \(Hostile.raw(r.out, allowing: ["\n"]))")
            #expect(r.out.contains("\\u001b[2J") && r.out.contains("\\u202e"), "\(arguments[0])")
            #expect((try? JSONSerialization.jsonObject(with: Data(r.out.utf8))) != nil, "\(arguments[0]): not JSON")
        }
        let explained = try JSONSerialization.jsonObject(with: Data(run(["explain", "--policy", policy, "--data", data, "--unit", "H03",
                                                                             "--format", "json"]).out.utf8)) as! [String: Any]
        #expect((explained["items"] as! [[String: Any]])[0]["note"] as? String == Hostile.strings[2])
    }

    @Test func markdownHoldsNoMarkupLinksOrExtraCells() throws {
        let reports = [score + ["--format", "markdown"], ["explain", "--policy", policy, "--data", data, "--unit", "H11", "--format", "markdown"],
                       ["rules", "--policy", policy, "--format", "markdown"], ["diff", policy, policy2, "--format", "markdown"],
                       compare + ["--format", "markdown"]]
        for arguments in reports {
            let out = run(arguments).out
            let what = arguments[0]
            #expect(Hostile.raw(out, allowing: ["\n"]).isEmpty, "\(what): \(Hostile.raw(out, allowing: ["\n"]))")
            // the only tags are the diff's own <code> and <br>
            let tags = out.replacingOccurrences(of: "<code>", with: "").replacingOccurrences(of: "</code>", with: "")
                .replacingOccurrences(of: "<br>", with: "")
            #expect(!tags.contains("<"), "\(what): raw <")
            #expect(out.contains("&lt;script&gt;") || out.contains("&lt;img"), "\(what)")
            // no link or image: outside code spans (where nothing is markup), every ] before ( or [ is escaped
            let scalars = Array(out.unicodeScalars)
            // (CommonMark: a run of n backticks opens a code span that the next run of exactly n closes; a run with
            // no such closer is literal)
            func backticks(at i: Int) -> Int {
                var j = i
                while j < scalars.count && scalars[j] == "`" { j += 1 }
                return j - i
            }
            var i = 0
            while i < scalars.count - 1 {
                if scalars[i] == "`" && (i == 0 || scalars[i - 1] != "\\") {
                    let n = backticks(at: i)
                    var j = i + n, closer: Int?
                    while j < scalars.count {
                        if scalars[j] == "`" {
                            let m = backticks(at: j)
                            if m == n { closer = j + m; break }
                            j += m
                        } else { j += 1 }
                    }
                    i = closer ?? i + n
                    continue
                }
                if scalars[i] == "]" && (scalars[i + 1] == "(" || scalars[i + 1] == "[") {
                    #expect(i > 0 && scalars[i - 1] == "\\", "\(what): a live link at \(String(String.UnicodeScalarView(scalars[max(0, i - 20)...i + 1])))")
                }
                i += 1
            }
            // table rows have their header's cells: no value adds a |
            func cells(_ line: Substring) -> Int {
                var n = 0, escaped = false
                for u in line.unicodeScalars {
                    if u == "|" && !escaped { n += 1 }
                    escaped = u == "\\" && !escaped
                }
                return n
            }
            var width: Int?
            for line in out.split(separator: "\n") {
                guard line.hasPrefix("|") else { width = nil; continue }
                if width == nil { width = cells(line) }
                #expect(cells(line) == width, "\(what): \(line)")
            }
        }
        // escapes, case by case
        #expect(MarkdownText.text("[x](javascript:alert(1))") == "[x\\](javascript:alert(1))")
        #expect(MarkdownText.text("![i](u)") == "![i\\](u)")
        #expect(MarkdownText.text("[a][b]") == "[a\\][b\\]")
        #expect(MarkdownText.text("tiers[2].below") == "tiers[2].below")
        #expect(MarkdownText.text("<script>&amp;") == "&lt;script&gt;&amp;amp;")
        #expect(MarkdownText.text("a|b`c\\d") == "a\\|b\\`c\\\\d")
        #expect(MarkdownText.text("a\r\nb\nc\u{2028}d\u{1B}") == "a b c d\\u{1B}")
        #expect(MarkdownText.code("a|b") == "`a\\|b`")
        #expect(MarkdownText.code("x` <b>") == "`` x` <b> ``")
    }

    @Test func htmlHoldsNoMarkupAndShowsControls() throws {
        for arguments in [score + ["--format", "html"], ["explain", "--policy", policy, "--data", data, "--unit", "H09", "--format", "html"],
                          compare + ["--format", "html"], ["diff", policy, policy2, "--format", "html", "--data", data]] {
            let out = run(arguments).out
            let what = "\(arguments[0]) html"
            #expect(Hostile.raw(out, allowing: ["\n", "\t", "\r"]).isEmpty, "\(what): \(Hostile.raw(out, allowing: ["\n", "\t", "\r"]))")
            for tag in ["<script", "<img", "<iframe", "javascript:alert(1)\">", "href=\"javascript"] {
                #expect(!out.lowercased().contains(tag), "\(what): \(tag)")
            }
            #expect(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(what)")
            #expect(out.contains("\\u{1B}[2J") && out.contains("\\u{202E}"), "\(what)")
            #expect((try? XMLDocument(xmlString: out.replacingOccurrences(of: "<!DOCTYPE html>", with: ""))) != nil, "\(what): not well-formed")
        }
    }

    @Test func xlsxCellsAreStringsNeverFormulas() throws {
        let file = dir + "/results.xlsx"
        _ = run(score + ["--format", "xlsx", "--output", file])
        let archive = try Archive(url: URL(fileURLWithPath: file), accessMode: .read)
        func part(_ name: String) throws -> String {
            var data = Data()
            _ = try archive.extract(try #require(archive[name]), consumer: { data.append($0) })
            return String(decoding: data, as: UTF8.self)
        }
        let strings = try part("xl/sharedStrings.xml")
        for sheet in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
            let xml = try part(sheet)
            #expect(!xml.contains("<f>") && !xml.contains("<f ") && !xml.contains("t=\"str\"") && !xml.contains("t=\"inlineStr\""))
            // every cell is a number (no t) or a shared string
            let cells = xml.components(separatedBy: "<c ").dropFirst()
            #expect(!cells.isEmpty)
            for c in cells where c.contains(" t=\"") { #expect(c.contains(" t=\"s\""), "\(c.prefix(60))") }
        }
        #expect(strings.contains("<t>=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)</t>"), "kept as text, not a formula")
        #expect(strings.contains("_x001B_[2J") && strings.contains("nul_x0000_byte"), "controls as SpreadsheetML escapes")
        #expect(!strings.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }, "no raw C0 (XML cannot hold it)")
        #expect((try? XMLDocument(xmlString: strings)) != nil, "sharedStrings.xml is well-formed")
    }

    @Test func selfcheckShowsControlsVisibly() throws {
        // the Guangyuan sample with hostile unit names and reasons
        let gy = dir + "/gy"
        try FileManager.default.copyItem(atPath: "policies/guangyuan/sample-2014", toPath: gy)
        var units = "unit_id,name\n"
        let ids = try String(contentsOfFile: gy + "/units.csv", encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
        for (i, id) in ids.enumerated() { units += "\(id),\(CSVText.quoted(Hostile.strings[i] + Hostile.strings[2]))\n" }
        try Data(units.utf8).write(to: URL(fileURLWithPath: gy + "/units.csv"))
        let (out, _) = run(["score", "--policy", "policies/guangyuan/2014.lua", "--data", gy, "--format", "selfcheck"])
        #expect(Hostile.raw(out).isEmpty, "selfcheck holds raw \(Hostile.raw(out))")
        #expect(out.contains("\\u{202E}"), "\(out)")
        let (table, _) = run(["score", "--policy", "policies/guangyuan/2014.lua", "--data", gy])
        expectVisible(table, "self-check score table")
    }

    @Test func terminalTextEscapesEachUnsafeCharacterOnce() {
        #expect(TerminalText.escaped("\u{1B}[2J\u{7}\u{0}\u{7F}\u{9B}\u{202E}\u{2066}\u{2069}\u{200E}\u{200F}\u{61C}\u{2028}\u{2029}")
                == "\\u{1B}[2J\\u{7}\\u{0}\\u{7F}\\u{9B}\\u{202E}\\u{2066}\\u{2069}\\u{200E}\\u{200F}\\u{61C}\\u{2028}\\u{2029}")
        #expect(TerminalText.escaped("a\tb\nc\r") == "a\\u{9}b\\u{A}c\\u{D}")
        #expect(TerminalText.escaped("a\tb\nc\r", keepingLineBreaks: true) == "a\tb\nc\\u{D}")
        #expect(TerminalText.escaped("甘州区（GZ06）“青年” — ok") == "甘州区（GZ06）“青年” — ok")
        for s in Hostile.strings {
            let once = TerminalText.escaped(s)
            #expect(TerminalText.escaped(once) == once, "escaping twice changes nothing")
            #expect(Hostile.raw(once, allowing: []).isEmpty)
        }
    }
}
