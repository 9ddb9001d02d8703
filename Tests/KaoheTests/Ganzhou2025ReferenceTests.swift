import Foundation
import Testing
import KaoheTestSupport

/// The Ganzhou 2025 example policy (policies/ganzhou/2025.lua: groups, the dues veto, tie_break, a total rounded
/// to one decimal, 五四红旗团委 and at_least) scored by the `kaohe` executable, against
/// scripts/ganzhou2025_reference.py, an independent reading of the 2025 rules in Python (standard library,
/// decimal arithmetic; it shares no code with kaohe). On the shipped sample and on random data sets from
/// scripts/gen-sample-ganzhou-2025, each unit's group, rank, total (as a decimal), bands and vetoes must agree,
/// and the results must come in the same order (group, rank, unit id).
@Suite struct Ganzhou2025ReferenceTests {
    /// One unit's result, as both sides print it.
    struct Row: Equatable, CustomStringConvertible {
        var unit: String
        var group: String
        var rank: Int
        var total: Decimal
        var bands: [String]
        var vetoes: [String]

        var description: String {
            "\(unit) group \(group) rank \(rank) total \(total) bands [\(bands.joined(separator: ","))] "
                + "vetoes [\(vetoes.joined(separator: ","))]"
        }
    }

    /// `kaohe score --format json`: the fields compared. A total is read from its JSON number exactly (JSONDecoder
    /// reads a Decimal from the number's digits); `totalsText` checks how it is written.
    struct KaoheOutput: Decodable {
        struct Result: Decodable {
            struct Veto: Decodable { var id: String }
            var unit: String
            var group: String
            var rank: Int
            var total: Decimal
            var bands: [String]
            var vetoes: [Veto]
        }
        var results: [Result]
    }

    /// scripts/ganzhou2025_reference.py's output: totals are strings with one decimal ("185.5").
    struct ReferenceRow: Decodable {
        var unit: String
        var group: String
        var rank: Int
        var total: String
        var bands: [String]
        var vetoes: [String]
    }

    /// python3 runs (the reference and the generator need nothing beyond its standard library).
    static let python3Available: Bool = {
        guard let probe = try? Python.run(["-c", "import decimal, csv, json"]) else { return false }
        return probe.status == 0
    }()

    static let policy = Repository.path("policies/ganzhou/2025.lua")

    /// (seed, units): the seeds give 2, 3, 32, 4, 1 and 0 streets (the rest are townships), so some groups are
    /// smaller than five units and take their bands through at_least.
    static let randomCases: [(seed: Int, units: Int)] = [(1, 37), (3, 51), (5, 65), (7, 79), (14, 40), (19, 30)]

    // MARK: - Running both sides

    static func python(_ arguments: [String]) throws -> String {
        let r = try Python.run(arguments)
        guard r.status == 0 else {
            throw ToolError("python3 \(arguments.joined(separator: " ")) failed (\(r.status)): \(r.errText)")
        }
        return r.outText
    }

    /// kaohe's rows in its order, and each total exactly as the JSON writes it.
    static func kaohe(_ data: String) throws -> (rows: [Row], totalsText: [String]) {
        let scratch = TemporaryDirectory.make("kaohe-ganzhou2025")  // its working folder: no history is read
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let r = try Subprocess.run(try BuildProducts.executable("kaohe"),
                                   ["score", "--policy", policy, "--data", data, "--format", "json"],
                                   directory: scratch, timeout: 120)
        guard r.status == 0 else {
            throw ToolError("kaohe score failed (\(r.status)) on \(data):\n\(r.errText.prefix(3000))")
        }
        let output = try JSONDecoder().decode(KaoheOutput.self, from: r.out)
        let rows = output.results.map {
            Row(unit: $0.unit, group: $0.group, rank: $0.rank, total: $0.total, bands: $0.bands.sorted(),
                vetoes: $0.vetoes.map(\.id).sorted())
        }
        let literal = try NSRegularExpression(pattern: #""total"\s*:\s*("?[^,\s{}]+)"#)
        let text = r.outText
        let totals = literal.matches(in: text, range: NSRange(text.startIndex..., in: text)).map {
            String(text[Range($0.range(at: 1), in: text)!])
        }
        return (rows, totals)
    }

    static func reference(_ data: String) throws -> [Row] {
        let out = try python([Repository.path("scripts/ganzhou2025_reference.py"), data])
        return try JSONDecoder().decode([ReferenceRow].self, from: Data(out.utf8)).map {
            Row(unit: $0.unit, group: $0.group, rank: $0.rank, total: Decimal(string: $0.total)!,
                bands: $0.bands.sorted(), vetoes: $0.vetoes.sorted())
        }
    }

    /// Differences, one line each: per unit, then the order.
    static func mismatches(kaohe: [Row], reference: [Row]) -> [String] {
        var out: [String] = []
        let mine = Dictionary(kaohe.map { ($0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        let theirs = Dictionary(reference.map { ($0.unit, $0) }, uniquingKeysWith: { a, _ in a })
        if mine.count != kaohe.count { out.append("kaohe lists a unit twice") }
        for r in reference {
            guard let k = mine[r.unit] else { out.append("\(r.unit): missing from kaohe's results"); continue }
            if k != r { out.append("kaohe     \(k)\n    reference \(r)") }
        }
        for k in kaohe where theirs[k.unit] == nil { out.append("\(k.unit): not in the reference's results") }
        if out.isEmpty && kaohe.map(\.unit) != reference.map(\.unit) {
            out.append("order differs:\n    kaohe     \(kaohe.map(\.unit).joined(separator: " "))\n"
                       + "    reference \(reference.map(\.unit).joined(separator: " "))")
        }
        return out
    }

    func compare(_ data: String, _ what: String) throws {
        let (kaohe, totalsText) = try Self.kaohe(data)
        let reference = try Self.reference(data)
        #expect(!reference.isEmpty)
        let problems = Self.mismatches(kaohe: kaohe, reference: reference)
        if !problems.isEmpty {
            Issue.record("\(what): \(problems.count) mismatches:\n\(problems.prefix(20).joined(separator: "\n"))")
        }
        // total = { decimals = 1 }: every total is written with exactly one decimal (150.0, not 150)
        let badlyWritten = totalsText.filter { $0.range(of: #"^-?[0-9]+\.[0-9]$"#, options: .regularExpression) == nil }
        #expect(totalsText.count == kaohe.count && badlyWritten.isEmpty,
                "\(what): totals not written with one decimal: \(badlyWritten.prefix(10))")
        // no history database is given, so the two-year band holds nobody (the reference leaves it out)
        #expect(!kaohe.contains { $0.bands.contains("bottom20-twice") })
    }

    // MARK: - Tests

    @Test(.enabled(if: python3Available, "python3 is missing: the reference scorer needs Python 3"))
    func shippedSample() throws {
        try compare(Repository.path("policies/ganzhou/sample-2025"), "sample-2025")
    }

    /// The shipped sample is what its generator writes (and the generator checks the cases it is for).
    @Test(.enabled(if: python3Available, "python3 is missing: the generator needs Python 3"))
    func sampleIsGenerated() throws {
        let folder = TemporaryDirectory.make("kaohe-ganzhou2025-sample")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Self.python([Repository.path("scripts/gen-sample-ganzhou-2025"), "--out", folder])
        let shipped = Repository.path("policies/ganzhou/sample-2025")
        let names = try FileManager.default.contentsOfDirectory(atPath: shipped).sorted()
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == names)
        for name in names {
            let a = FileManager.default.contents(atPath: shipped + "/" + name)
            let b = FileManager.default.contents(atPath: folder + "/" + name)
            #expect(a == b, "\(name) differs from what scripts/gen-sample-ganzhou-2025 writes")
        }
    }

    @Test(.enabled(if: python3Available, "python3 is missing: the generator and the reference scorer need Python 3"),
          arguments: randomCases)
    func randomDataSet(seed: Int, units: Int) throws {
        let folder = TemporaryDirectory.make("kaohe-ganzhou2025-data")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Self.python([Repository.path("scripts/gen-sample-ganzhou-2025"),
                             "--seed", "\(seed)", "--units", "\(units)", "--out", folder])
        try compare(folder, "seed \(seed), \(units) units")
    }
}
