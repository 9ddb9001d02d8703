import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// The Ganzhou 2023 policy (policies/ganzhou/2023.lua) against the readings of arts. 9–17:
/// boundary cases per rule, the shipped sample and random data sets, both checked against `Reference`,
/// a plain scorer written from the readings (it shares no code with kaohe or its Lua policy).
@Suite struct GanzhouPolicyTests {
    // MARK: - One-unit data sets

    /// A units.csv row for unit U1; every Art. 10 entry done, no Art. 15 points unless asked.
    static func unit(position: Int = 0, signage: Int = 0, smart: Int = 1, party: Int = 1, grading: Int = 1) -> String {
        "U1,单位一,township,\(position),\(signage),\(smart),\(party),\(grading)"
    }

    static func activity(month: Int, day: Int = 10, registered: Int = 40, signedIn: Int = 40) -> String {
        "U1,\(month),\(day),\(registered),\(signedIn)"
    }

    /// Twelve months of three qualifying activities: Art. 11 gives 0.
    static var fullYear: [String] { (1...12).flatMap { m in Array(repeating: activity(month: m), count: 3) } }

    /// The points of `rule` for U1 in a data set of one unit; `rows` maps a table name to its data lines.
    func points(_ rule: String, unit: String = unit(), _ rows: [String: [String]] = [:]) throws -> Int {
        var files = Support.ganzhouHeaders
        files["units.csv"]! += unit + "\n"
        for (table, lines) in rows { files[table + ".csv"]! += lines.map { $0 + "\n" }.joined() }
        let sheet = try Support.score(try Support.ganzhou2023, Support.folder(files))
        let p = try #require(Support.points(sheet, unit: "U1", rule: rule))
        #expect(Reference.score(files).mismatches(sheet) == [])  // the other rules and the total too
        #expect(p.micro % Points.scale == 0, "\(rule) gave a fraction: \(p)")
        return Int(p.micro / Points.scale)
    }

    // MARK: - Art. 9 study rate

    @Test(arguments: [("99.99", -2), ("100", 0), ("100.00", 0), ("119.99", 0), ("120", 2), ("120.00", 2), ("150", 2),
                      ("0", -2), ("99.999999", -2), ("120.000001", 2)])
    func studyRate(rate: String, expected: Int) throws {
        #expect(try points("study", ["study": ["U1,2023-01,\(rate)"]]) == expected)
    }

    @Test func studyRowsAddUp() throws {
        let rows = ["99", "100", "119.99", "120", "150", "42.5"].enumerated().map { "U1,2023-\($0.offset + 1),\($0.element)" }
        #expect(try points("study", ["study": rows]) == -2 + 0 + 0 + 2 + 2 - 2)
        #expect(try points("study") == 0)
    }

    // MARK: - Art. 10 smart league entries, Art. 15 position

    @Test(arguments: [(1, 1, 1, 0), (0, 1, 1, -2), (1, 0, 1, -2), (1, 1, 0, -3),
                      (0, 0, 1, -4), (0, 1, 0, -5), (1, 0, 0, -5), (0, 0, 0, -7)])
    func smartLeague(smart: Int, party: Int, grading: Int, expected: Int) throws {
        #expect(try points("smart_league", unit: Self.unit(smart: smart, party: party, grading: grading)) == expected)
    }

    @Test(arguments: [(0, 0, 0), (1, 0, 10), (0, 1, 5), (1, 1, 15)])
    func position(built: Int, signage: Int, expected: Int) throws {
        #expect(try points("position", unit: Self.unit(position: built, signage: signage)) == expected)
    }

    // MARK: - Art. 11 youth home

    /// (entered_day, registered, signed_in, points) for one of the 36 baseline activities.
    static let activityCases = [(15, 30, 30, 0), (16, 30, 30, -1), (15, 29, 30, -1), (15, 30, 29, -1),
                                (1, 100, 100, 0), (31, 30, 30, -1), (14, 0, 0, -1)]

    @Test(arguments: activityCases, [1, 7, 12])
    func youthHomeActivity(activity: (Int, Int, Int, Int), month: Int) throws {
        var rows = Self.fullYear
        rows[(month - 1) * 3 + 1] = Self.activity(month: month, day: activity.0, registered: activity.1, signedIn: activity.2)
        #expect(try points("youth_home", ["youth_home": rows]) == activity.3)
    }

    @Test(arguments: 1...12)
    func youthHomeEmptyMonth(month: Int) throws {
        let rows = Self.fullYear.filter { !$0.hasPrefix("U1,\(month),") }
        #expect(try points("youth_home", ["youth_home": rows]) == -3)
    }

    @Test func youthHomeTotals() throws {
        #expect(try points("youth_home") == -36)
        #expect(try points("youth_home", ["youth_home": Self.fullYear]) == 0)
        // A fourth activity in January does not make up for a missing one in February.
        var rows = Self.fullYear + [Self.activity(month: 1)]
        rows.remove(at: 3)
        #expect(try points("youth_home", ["youth_home": rows]) == -1)
        // Three activities that all miss the deadline count as none.
        let late = Self.fullYear.map { $0.hasPrefix("U1,5,") ? Self.activity(month: 5, day: 16) : $0 }
        #expect(try points("youth_home", ["youth_home": late]) == -3)
    }

    // MARK: - Art. 12 publicity

    @Test(arguments: [("", 0), ("district", 2), ("city", 3), ("province", 4), ("national", 4)],
          [(0, 0), (1, 0), (0, 1), (1, 1)])
    func article(site: (String, Int), flags: (adopted: Int, solicited: Int)) throws {
        let row = "U1,3,\(flags.adopted),\(site.0),\(flags.solicited)"
        #expect(try points("publicity", ["articles": [row]]) == 1 + site.1 + 2 * flags.adopted + flags.solicited)
    }

    @Test func articlesAddUp() throws {
        #expect(try points("publicity") == 0)
        #expect(try points("publicity", ["articles": ["U1,1,0,,0", "U1,1,1,city,1", "U1,12,0,national,0"]]) == 1 + 7 + 5)
    }

    // MARK: - Art. 13 volunteer

    @Test(arguments: [("district", [2, 4, 6]), ("city", [3, 6, 9]), ("province", [5, 8, 10])],
          [(5, 0), (6, 0), (15, 0), (16, 0), (5, 1), (6, 1), (15, 1), (16, 1)])
    func volunteers(level: (String, [Int]), row: (count: Int, bonus: Int)) throws {
        let size = row.count <= 5 ? 0 : row.count <= 15 ? 1 : 2
        let line = "U1,\(level.0),\(row.count),\(row.bonus),"
        #expect(try points("volunteer", ["volunteer": [line]]) == level.1[size] + row.bonus)
    }

    @Test(arguments: [
        ([String](), 0),
        (["U1,self,20,0,"], 0),
        (["U1,self,20,1,"], 0),
        (["U1,self,3,0,https://example.cn/a.html"], 2),
        (["U1,self,3,1,https://example.cn/a.html"], 2),  // no duration bonus on self-organised rows
        (["U1,self,3,0,https://example.cn/a.html", "U1,self,30,0,https://example.cn/b.html"], 2),
        (["U1,self,3,0,", "U1,self,3,0,\"https://example.cn/a,b.html\""], 2),
        (["U1,self,3,0,https://example.cn/a.html", "U1,district,6,1,"], 2 + 4 + 1),
    ])
    func selfOrganised(rows: [String], expected: Int) throws {
        #expect(try points("volunteer", ["volunteer": rows]) == expected)
    }

    // MARK: - Art. 14 events

    @Test(arguments: [("major_event", "", 5), ("competition_award", "", 5), ("major_event", "province", 5),
                      ("competition_award", "district", 5), ("observation", "district", 3),
                      ("observation", "city", 5), ("observation", "province", 8), ("observation", "", 0)])
    func event(kind: String, level: String, expected: Int) throws {
        #expect(try points("events", ["events": ["U1,\(kind),\(level)"]]) == expected)
        #expect(try points("events", ["events": ["U1,\(kind),\(level)", "U1,major_event,"]]) == expected + 5)
    }

    // MARK: - Whole data sets against the reference

    @Test func shippedSample() throws {
        let folder = Repository.path("policies/ganzhou/sample-2023")
        let sheet = try Support.score(try Support.ganzhou2023, folder)
        #expect(sheet.unitCount == 23)
        let problems = try Reference.score(folder: folder).mismatches(sheet)
        #expect(problems.isEmpty, "\(problems.count) mismatches:\n\(problems.prefix(20).joined(separator: "\n"))")
    }

    @Test(arguments: [0x6B616F6865 as UInt64, 2023, 0xDEADBEEF])
    func randomDataSets(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let files = Generator.dataset(&rng, crlf: seed == 2023)
        let folder = Support.folder(files)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let policy = try Support.ganzhou2023
        let sheet = try Support.score(policy, folder, jobs: 2)
        let reference = try Reference.score(folder: folder)
        #expect((300...1500).contains(sheet.unitCount))
        let problems = reference.mismatches(sheet)
        #expect(problems.isEmpty, "seed \(seed): \(problems.count) mismatches:\n\(problems.prefix(20).joined(separator: "\n"))")
        let serial = try Support.score(policy, folder, jobs: 1)
        #expect(serial.totals == sheet.totals)
        #expect(serial.ranking.rank == sheet.ranking.rank)
    }
}

// MARK: - Reference scorer

/// The readings of arts. 9–17 in plain Swift: CSV text in, per-rule points, totals, ranks and bands out.
private enum Reference {
    static let rules = ["study", "smart_league", "youth_home", "publicity", "volunteer", "events", "position"]
    static let site = ["": 0, "district": 2, "city": 3, "province": 4, "national": 4]
    static let volunteer = ["district": [2, 4, 6], "city": [3, 6, 9], "province": [5, 8, 10]]
    static let observation = ["": 0, "district": 3, "city": 5, "province": 8]

    struct Result {
        var ids: [String] = []
        var rules: [String: [String: Int]] = [:]
        var totals: [String: Int] = [:]
        var ranks: [String: Int] = [:]
        var bands: [String: Set<String>] = [:]
        var order: [String] = []

        /// Differences from kaohe's scoresheet, one line each.
        func mismatches(_ sheet: Scoresheet) -> [String] {
            var out: [String] = []
            if sheet.data.unitIDs.sorted() != ids.sorted() { return ["unit ids differ"] }
            for (u, id) in sheet.data.unitIDs.enumerated() {
                func check<T: Equatable>(_ what: String, _ kaohe: T, _ reference: T) {
                    if kaohe != reference { out.append("\(id) \(what): kaohe \(kaohe), reference \(reference)") }
                }
                let items = sheet.items(of: u)
                check("rules", items.map(\.rule), Reference.rules)
                for item in items { check(item.rule, item.points, rules[id]![item.rule].map(Points.init(integer:))) }
                check("total", sheet.totals[u], Points(integer: totals[id]!))
                check("rank", sheet.ranking.rank[u], ranks[id]!)
                check("bands", Set(sheet.ranking.bands[u]), bands[id]!)
            }
            if sheet.order.map({ sheet.data.unitIDs[$0] }) != order { out.append("rank order differs") }
            return out
        }
    }

    static func score(folder: String) throws -> Result {
        var files: [String: String] = [:]
        for name in ["units", "study", "youth_home", "articles", "volunteer", "events"] {
            let path = (folder as NSString).appendingPathComponent(name + ".csv")
            if FileManager.default.fileExists(atPath: path) { files[name + ".csv"] = try String(contentsOfFile: path, encoding: .utf8) }
        }
        return score(files)
    }

    static func score(_ files: [String: String]) -> Result {
        func table(_ name: String) -> [[String: String]] {
            let records = parse(files[name + ".csv"] ?? Support.ganzhouHeaders[name + ".csv"]!)
            return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(records[0], $0)) }
        }
        var r = Result()
        var months: [String: [Int]] = [:]
        var linked: Set<String> = []
        for u in table("units") {
            let id = u["unit_id"]!
            r.ids.append(id)
            r.rules[id] = Dictionary(uniqueKeysWithValues: rules.map { ($0, 0) })
            r.rules[id]!["smart_league"] = (u["smart_study_entry_ok"] == "0" ? -2 : 0) + (u["party_recommend_entry_ok"] == "0" ? -2 : 0)
                + (u["grading_ok"] == "0" ? -3 : 0)
            r.rules[id]!["position"] = (u["position_built"] == "1" ? 10 : 0) + (u["signage"] == "1" ? 5 : 0)
            months[id] = Array(repeating: 0, count: 13)
        }
        for s in table("study") {
            let rate = s["rate"]!
            r.rules[s["unit_id"]!]!["study"]! += compare(rate, 100) < 0 ? -2 : compare(rate, 120) < 0 ? 0 : 2
        }
        for a in table("youth_home") where Int(a["entered_day"]!)! <= 15 && Int(a["registered"]!)! >= 30 && Int(a["signed_in"]!)! >= 30 {
            months[a["unit_id"]!]![Int(a["month"]!)!] += 1
        }
        for (id, counts) in months { r.rules[id]!["youth_home"] = -counts[1...12].map { max(0, 3 - $0) }.reduce(0, +) }
        for a in table("articles") {
            r.rules[a["unit_id"]!]!["publicity"]! += 1 + (a["adopted"] == "1" ? 2 : 0) + site[a["site_level"]!]! + (a["solicited"] == "1" ? 1 : 0)
        }
        for v in table("volunteer") {
            let id = v["unit_id"]!
            if v["level"] == "self" {
                if v["news_link"] != "" { linked.insert(id) }
                continue
            }
            let n = Int(v["volunteers"]!)!
            r.rules[id]!["volunteer"]! += volunteer[v["level"]!]![n <= 5 ? 0 : n <= 15 ? 1 : 2] + (v["duration_bonus"] == "1" ? 1 : 0)
        }
        for id in linked { r.rules[id]!["volunteer"]! += 2 }
        for e in table("events") {
            r.rules[e["unit_id"]!]!["events"]! += e["kind"] == "observation" ? observation[e["level"]!]! : 5
        }
        for id in r.ids { r.totals[id] = 100 + r.rules[id]!.values.reduce(0, +) }

        let all = r.ids.map { r.totals[$0]! }, k = 2 * all.count / 10
        for id in r.ids {
            let t = r.totals[id]!
            r.ranks[id] = 1 + all.filter { $0 > t }.count
            var bands: Set<String> = []
            if r.ranks[id]! <= k { bands.insert("top20") }
            if 1 + all.filter({ $0 < t }).count <= k { bands.insert("bottom20") }
            r.bands[id] = bands
        }
        r.order = r.ids.sorted { a, b in
            r.totals[a]! != r.totals[b]! ? r.totals[a]! > r.totals[b]! : Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
        }
        return r
    }

    /// Compares a plain decimal ("119.99", "120.000") with an integer exactly: -1, 0 or 1.
    static func compare(_ text: String, _ n: Int) -> Int {
        if text.hasPrefix("-") { return -1 }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = Int(parts[0].isEmpty ? "0" : parts[0])!
        if whole != n { return whole < n ? -1 : 1 }
        return parts.count > 1 && parts[1].contains(where: { $0 != "0" }) ? 1 : 0
    }

    /// RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; LF or CRLF; blank lines skipped.
    static func parse(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field: [UInt8] = []
        var quoted = false, pendingQuote = false
        func endField() { record.append(String(decoding: field, as: UTF8.self)); field = [] }
        func endRecord() {
            endField()
            if record != [""] { records.append(record) }
            record = []
        }
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        for b in bytes {
            if quoted {
                if pendingQuote {
                    pendingQuote = false
                    if b == UInt8(ascii: "\"") { field.append(b); continue }
                    quoted = false  // that quote closed the field; fall through
                } else if b == UInt8(ascii: "\"") { pendingQuote = true; continue } else { field.append(b); continue }
            }
            switch b {
            case UInt8(ascii: "\""): quoted = true
            case UInt8(ascii: ","): endField()
            case UInt8(ascii: "\n"): endRecord()
            case UInt8(ascii: "\r"): break
            default: field.append(b)
            }
        }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        return records
    }
}

// MARK: - Random data

/// Random Ganzhou data sets whose values cluster on every boundary of the readings.
private enum Generator {
    static func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T { values.randomElement(using: &rng)! }
    static func flag(_ p: Double, _ rng: inout SplitMix64) -> Int { Double.random(in: 0..<1, using: &rng) < p ? 1 : 0 }
    static func quoted(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func dataset(_ rng: inout SplitMix64, crlf: Bool) -> [String: String] {
        let n = Int.random(in: 300...1500, using: &rng)
        var tables = Support.ganzhouHeaders.mapValues { [String($0.dropLast())] }
        var rows: [String: [String]] = [:]
        for i in (1...n).shuffled(using: &rng) {
            let id = "U\(i)"  // unpadded, so ties order "U10" before "U9"
            let name = pick(["单位\(i)", "单位,\(i)", "单位\"\(i)\""], &rng)
            let flags = [0.6, 0.5, 0.85, 0.85, 0.8].map { String(flag($0, &rng)) }.joined(separator: ",")
            tables["units.csv"]!.append("\(id),\(quoted(name)),\(pick(["township", "street"], &rng)),\(flags)")
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                let rate = pick(["99.99", "100", "100.00", "119.99", "120", "120.00", "150", "0", "99.999999", "120.000001",
                                 "\(Int.random(in: 50...180, using: &rng)).\(Int.random(in: 10...99, using: &rng))"], &rng)
                rows["study.csv", default: []].append("\(id),2023-\(Int.random(in: 1...52, using: &rng)),\(rate)")
            }
            if flag(0.95, &rng) == 1 {
                for month in 1...12 {
                    for _ in 0..<pick([0, 1, 2, 3, 3, 3, 3, 4, 5], &rng) {
                        let day = pick([1, 9, 14, 15, 15, 15, 16, 28], &rng)
                        let reg = pick([0, 29, 30, 30, 30, 31, 80], &rng), signed = pick([0, 29, 30, 30, 30, 31, 80], &rng)
                        rows["youth_home.csv", default: []].append("\(id),\(month),\(day),\(reg),\(signed)")
                    }
                }
            }
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let site = pick(["", "district", "city", "province", "national"], &rng)
                rows["articles.csv", default: []].append(
                    "\(id),\(Int.random(in: 1...12, using: &rng)),\(flag(0.4, &rng)),\(site),\(flag(0.3, &rng))")
            }
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                let level = pick(["district", "city", "province", "self"], &rng)
                let count = pick([0, 1, 5, 5, 6, 6, 15, 15, 16, 16, Int.random(in: 0...60, using: &rng)], &rng)
                let link = pick(["", "", "https://example.cn/\(i).html", "https://example.cn/a,\(i).html", "https://e.cn/\"q\""], &rng)
                rows["volunteer.csv", default: []].append("\(id),\(level),\(count),\(flag(0.5, &rng)),\(quoted(link))")
            }
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                let kind = pick(["major_event", "competition_award", "observation", "observation"], &rng)
                rows["events.csv", default: []].append("\(id),\(kind),\(pick(["", "district", "city", "province"], &rng))")
            }
        }
        for (name, lines) in rows { tables[name]! += lines.shuffled(using: &rng) }
        let eol = crlf ? "\r\n" : "\n"
        return tables.mapValues { $0.joined(separator: eol) + eol }
    }
}
