import Foundation
import Testing
import KaoheCLI
import KaoheTestSupport

/// Renders the HTML reports in a real headless Chromium, as a screenshot and as a printed PDF, and checks
/// that the pages are not blank and that the printed bulletin gives each unit's notice its own page.
///
/// Runs when a browser is found (KAOHE_CHROMIUM, else chromium, chromium-browser or google-chrome on PATH).
/// With KAOHE_BROWSER_TESTS=1 (CI) a missing browser or poppler-utils fails instead; scripts/setup-browser
/// installs them. Outputs stay in a temporary directory, named in every failure message, when a test fails.
@Suite(.serialized, .enabled(if: Browser.wanted, "no browser found (run scripts/setup-browser)"))
struct BrowserTests {
    static let title = "考核结果告知书"

    /// One HTML report: its kaohe arguments (before `--format html --output FILE`) and what its PDF must say.
    enum Report: String, CaseIterable, CustomTestStringConvertible, Sendable {
        /// `awards`: the bulletin of a policy with groups, a vetoed first place and quota bands.
        case bulletin, awards, notice, compare, diff
        var testDescription: String { rawValue }

        /// The units.csv of a bulletin's data: one printed notice per unit in it.
        var units: String? {
            switch self {
            case .bulletin: return "policies/ganzhou/sample-2023/units.csv"
            case .awards: return "Tests/KaoheCLITests/Fixtures/awards/units.csv"
            case .notice, .compare, .diff: return nil
            }
        }

        var arguments: [String] {
            let policy = ["--policy", "policies/ganzhou/2023.lua"]
            switch self {
            case .bulletin: return ["score"] + policy + ["--data", "policies/ganzhou/sample-2023"]
            case .awards: return ["score", "--policy", "Tests/KaoheCLITests/Fixtures/awards-policy.lua",
                                  "--data", "Tests/KaoheCLITests/Fixtures/awards"]
            case .notice: return ["explain"] + policy + ["--data", "policies/ganzhou/sample-2023", "--unit", "GZ07"]
            case .compare: return ["compare"] + policy + ["--policy", "policies/ganzhou/2024.lua", "--data", "policies/ganzhou/sample-2024"]
            case .diff: return ["diff", "policies/ganzhou/2023.lua", "policies/ganzhou/2024.lua", "--data", "policies/ganzhou/sample-2024"]
            }
        }
    }

    init() {
        _ = FileManager.default.changeCurrentDirectoryPath(Repository.root)
    }

    /// A hand-written Chinese page: checks the browser, the fonts, poppler and the PNG decoder on their own.
    @Test func rendersAStaticPage() throws {
        let chromium = try Browser.require()
        var work = try Workspace("static")
        let html = work.file("page.html")
        try Data(Self.staticPage.utf8).write(to: URL(fileURLWithPath: html))
        let png = try work.screenshot(chromium, html)
        if let image = work.checkScreenshot(png) {
            // Decoder check: the colour blocks must come out where the page puts them.
            work.expectColour(image, x: 640, y: 100, (0x1F, 0x6F, 0xEB), "blue band")
            work.expectColour(image, x: 1100, y: 1400, (0x2E, 0xA0, 0x43), "green square")
            work.expectColour(image, x: 640, y: 1000, (0xFF, 0xFF, 0xFF), "white page")
        }
        let pages = try work.printedPages(chromium, html)
        let text = pages.map(\.text).joined()
        work.expect(pages.count == 2, "expected 2 printed pages, got \(pages.count)")
        work.expect(text.occurrences(of: Self.title) == 1, "expected \(Self.title) once in the PDF text")
        work.expect(text.contains("平山湖蒙古族乡"), "expected 平山湖蒙古族乡 in the PDF text")
        work.finish()
    }

    /// A report as `--format html`: a non-blank screenshot, a PDF, and the report's own text checks.
    @Test(arguments: Report.allCases)
    func rendersReport(_ report: Report) throws {
        let chromium = try Browser.require()
        var work = try Workspace(report.rawValue)
        let html = work.file(report.rawValue + ".html")
        let result = KaoheCommand.capture(report.arguments + ["--format", "html", "--output", html])
        let command = "kaohe \(report.arguments.joined(separator: " ")) --format html --output \(html)"
        try #require(result.code == 0, "\(command) exited \(result.code): \(result.err)")
        try #require(FileManager.default.fileExists(atPath: html), "\(command) wrote no HTML")
        let png = try work.screenshot(chromium, html)
        _ = work.checkScreenshot(png)
        let pages = try work.printedPages(chromium, html)
        let text = pages.map(\.text).joined()
        switch report {
        case .bulletin: try checkBulletin(pages, units: report.units!, &work)
        case .awards:
            try checkBulletin(pages, units: report.units!, &work)
            // a section and a chart per group, the veto and the quota tie on paper too
            for words in ["乡镇·6个单位", "街道·3个单位", "一票否决：东镇（T1）", "取消评优资格", "先进团委名额2个，因总分并列评出3个单位",
                          "五四红旗团委分数线≥92.30"] {
                work.expect(text.contains(words), "expected \(words) in the PDF text")
            }
        case .notice:
            work.expect(text.occurrences(of: Self.title) == 1, "expected \(Self.title) exactly once in the PDF, found \(text.occurrences(of: Self.title))")
            work.expect(text.contains("上秦镇"), "expected the unit name 上秦镇 in the PDF text")
        case .compare: work.expect(text.contains("梁家墩镇"), "expected the unit name 梁家墩镇 in the PDF text")
        case .diff: work.expect(text.contains("第九条"), "expected 第九条 in the PDF text")
        }
        work.finish()
    }

    /// Each unit's notice starts on its own page: as many pages with the notice title (a line reading just
    /// 考核结果告知书; headings such as 四、各单位考核结果告知书 do not count) as units in `units`, never two
    /// titles on one page, and under each title the name of a different unit.
    private func checkBulletin(_ pages: [PrintedPage], units: String, _ work: inout Workspace) throws {
        let names = try Self.unitNames(units)
        try #require(!names.isEmpty, "no units read from \(units)")
        let titles = pages.map { $0.lines.filter { $0 == Self.title }.count }
        let titled = pages.indices.filter { titles[$0] > 0 }
        work.expect(titled.count == names.count,
                    "\(titled.count) of \(pages.count) pages carry the title \(Self.title) (pages \(titled.map { $0 + 1 })), expected \(names.count), one per unit")
        let doubled = pages.indices.filter { titles[$0] > 1 }
        work.expect(doubled.isEmpty, "pages \(doubled.map { $0 + 1 }) carry the title \(Self.title) more than once")
        // the line under each title addresses the unit: "梁家墩镇（GZ06）"
        let addressed = titled.compactMap { i -> String? in
            let lines = pages[i].lines
            guard let t = lines.firstIndex(of: Self.title), t + 1 < lines.count else { return nil }
            return lines[t + 1]
        }
        for name in names {
            let n = addressed.filter { $0.hasPrefix(name + "（") }.count
            work.expect(n == 1, "\(n) pages open with the notice of \(name), expected 1 (pages open with: \(addressed.joined(separator: "、")))")
        }
    }

    /// The `name` column of a units.csv without quoted fields.
    static func unitNames(_ path: String) throws -> [String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let rows = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let column = try #require(rows.first?.firstIndex(of: "name"), "\(path) has no name column")
        return rows.dropFirst().compactMap { $0.indices.contains(column) ? $0[column] : nil }
    }

    static let staticPage = """
        <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>静态页</title><style>
        body { margin: 0; font-family: "Noto Sans CJK SC", sans-serif; }
        .band { position: absolute; left: 0; top: 0; width: 1280px; height: 200px; background: #1f6feb; }
        .square { position: absolute; left: 1000px; top: 1300px; width: 200px; height: 200px; background: #2ea043; }
        h1 { position: relative; margin: 0; padding: 240px 40px 0; color: #b0182a; }
        p { margin: 20px 40px; font-size: 20px; }
        .next { break-before: page; }
        </style></head><body><div class="band"></div><div class="square"></div>
        <h1>考核结果告知书</h1><p>上秦镇团委：根据考核办法第九条，现将你单位考核结果告知如下。</p>
        <p class="next">平山湖蒙古族乡</p></body></html>
        """
}

/// Finding the browser and the poppler tools, or saying how to install them.
enum Browser {
    static let environment = ProcessInfo.processInfo.environment
    /// CI sets KAOHE_BROWSER_TESTS=1: a missing browser then fails rather than skips.
    static let required = environment["KAOHE_BROWSER_TESTS"] == "1"
    static let explicit = environment["KAOHE_CHROMIUM"].flatMap { $0.isEmpty ? nil : $0 }
    static let executable: String? = {
        if let explicit { return which(explicit) }
        return ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap(which).first
    }()
    /// Whether the suite runs: a browser is there, or it is demanded.
    static var wanted: Bool { executable != nil || required || explicit != nil }
    static let hint = "run scripts/setup-browser to install chromium, fonts-noto-cjk and poppler-utils"

    /// The browser's path, or a failure that says how to get one.
    static func require(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        if let explicit { return try #require(executable, "KAOHE_CHROMIUM=\(explicit) is not an executable", sourceLocation: sourceLocation) }
        return try #require(executable, "no chromium, chromium-browser or google-chrome on PATH; \(hint)", sourceLocation: sourceLocation)
    }

    /// A poppler tool's path (pdfinfo, pdftotext), or a failure that says how to get it.
    static func tool(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(which(name), "\(name) not found on PATH; \(hint)", sourceLocation: sourceLocation)
    }

    /// `name` itself when it holds a slash, else its first executable match on PATH.
    static func which(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// A test's temporary directory: runs tools there, records failures naming it, and removes it when all passed.
struct Workspace {
    let directory: String
    private var failed = false
    private var runs = 0

    init(_ name: String) throws {
        directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("kaohe-browser-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// Records a failure (with the directory's path) unless `condition` holds.
    mutating func expect(_ condition: Bool, _ message: @autoclosure () -> String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard !condition else { return }
        failed = true
        Issue.record("\(message()) [outputs in \(directory)]", sourceLocation: sourceLocation)
    }

    /// Removes the directory if nothing failed; otherwise leaves it for inspection.
    func finish() {
        if !failed { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Runs a tool, killing it after `timeout` seconds; stdout and stderr go to numbered files here.
    mutating func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 90) throws -> (status: Int32, out: String, err: String) {
        runs += 1
        let name = "\(runs)-\((executable as NSString).lastPathComponent)"
        do {
            let r = try Subprocess.run(executable, arguments, outputs: file(name), timeout: timeout)
            return (r.status, r.outText, r.errText)
        } catch let error as ToolError {
            failed = true
            throw ToolError("\(error) [outputs in \(directory)]")
        }
    }

    /// Runs the browser (headless, fresh profile) on a local file; fails with its stderr if it produced nothing.
    private mutating func chromium(_ chromium: String, _ flags: [String], _ html: String, output: String) throws {
        let profile = file("profile-\(runs + 1)")
        let run = try self.run(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)"] + flags
                               + ["file://" + html])
        try? FileManager.default.removeItem(atPath: profile)
        expect(run.status == 0, "\(chromium) exited \(run.status) rendering \(html):\n\(run.err.suffix(2000))")
        guard FileManager.default.fileExists(atPath: output) else {
            failed = true
            throw ToolError("\(chromium) wrote no \(output) from \(html) (exit \(run.status)):\n\(run.err.suffix(2000)) [outputs in \(directory)]")
        }
    }

    /// A 1280×1600 screenshot of `html` beside it; returns the PNG's path.
    mutating func screenshot(_ browser: String, _ html: String) throws -> String {
        let png = (html as NSString).deletingPathExtension + ".png"
        try chromium(browser, ["--hide-scrollbars", "--window-size=1280,1600", "--screenshot=\(png)"], html, output: png)
        return png
    }

    /// Prints `html` to a PDF beside it and returns each page's text (pdftotext -layout).
    mutating func printedPages(_ browser: String, _ html: String) throws -> [PrintedPage] {
        let pdftotext = try Browser.tool("pdftotext"), pdfinfo = try Browser.tool("pdfinfo")
        let pdf = (html as NSString).deletingPathExtension + ".pdf"
        try chromium(browser, ["--no-pdf-header-footer", "--print-to-pdf=\(pdf)"], html, output: pdf)
        let head = FileManager.default.contents(atPath: pdf)?.prefix(5) ?? Data()
        expect(head == Data("%PDF-".utf8), "\(pdf) does not start with %PDF-")
        let info = try run(pdfinfo, [pdf], timeout: 30)
        let pagesLine = info.out.split(separator: "\n").first { $0.hasPrefix("Pages:") }
        let count = pagesLine.flatMap { Int($0.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        expect(info.status == 0 && count >= 1, "pdfinfo \(pdf) reports \(count) pages (exit \(info.status)): \(info.err)")
        return try (0..<count).map { index in
            let page = try run(pdftotext, ["-layout", "-f", "\(index + 1)", "-l", "\(index + 1)", pdf, "-"], timeout: 30)
            expect(page.status == 0, "pdftotext page \(index + 1) of \(pdf) exited \(page.status): \(page.err)")
            return PrintedPage(page.out)
        }
    }

    /// Decodes the screenshot and checks it is 1280 wide and not blank: ≥ 2% non-white pixels, > 8 colours.
    mutating func checkScreenshot(_ png: String) -> PNGPixels? {
        let image: PNGPixels
        do { image = try PNGPixels(contentsOf: png) } catch {
            expect(false, "\(png) does not decode: \(error)")
            return nil
        }
        let inked = image.nonWhitePixels(), total = image.width * image.height, colours = image.distinctColours()
        expect(image.width == 1280, "\(png) is \(image.width)×\(image.height), expected 1280 wide")
        expect(inked * 50 >= total, "\(png) looks blank: \(inked) of \(total) pixels non-white, expected at least 2%")
        expect(colours > 8, "\(png) looks blank: \(colours) distinct colours, expected more than 8")
        return image
    }

    /// Checks one pixel's colour (±3 per channel).
    mutating func expectColour(_ image: PNGPixels, x: Int, y: Int, _ want: (Int, Int, Int), _ what: String) {
        guard x < image.width, y < image.height else { return expect(false, "(\(x), \(y)) is outside the \(image.width)×\(image.height) image") }
        let p = image.rgb(x: x, y: y), got = (Int(p.r), Int(p.g), Int(p.b))
        expect(abs(got.0 - want.0) <= 3 && abs(got.1 - want.1) <= 3 && abs(got.2 - want.2) <= 3,
               "\(what): pixel (\(x), \(y)) is \(got), expected \(want)")
    }
}

/// One printed page's text, whitespace removed (layout spaces and letter-spacing vary), line by line.
struct PrintedPage {
    let lines: [String]
    init(_ text: String) {
        lines = text.split(whereSeparator: \.isNewline).map { $0.filter { !$0.isWhitespace } }.filter { !$0.isEmpty }
    }
    /// All lines run together, so a name wrapped across lines is still found.
    var text: String { lines.joined() }
}

extension String {
    /// Non-overlapping occurrences of `needle`.
    func occurrences(of needle: String) -> Int { components(separatedBy: needle).count - 1 }
}
