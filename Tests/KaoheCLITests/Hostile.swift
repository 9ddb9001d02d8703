import Foundation
import Testing
import KaoheTestSupport

/// The one set of hostile strings that every output format is checked against, and a fixture made of them:
/// two policies whose titles, citations, rule titles, params, band ids and labels carry them, a test file
/// whose test names and messages carry them, and data whose unit names, ids and notes carry them.
enum Hostile {
    static let strings: [String] = [
        "\u{1B}[2J",                                // clear screen
        "\u{1B}]8;;http://x\u{07}link\u{1B}]8;;\u{07}", // OSC 8 hyperlink
        "invoice\u{202E}fdp.exe",                  // right-to-left override
        "=HYPERLINK(\"http://x\",\"y\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1)",
        "\t=1+2",
        "-2+3",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "nul\u{0}byte",
        "del\u{7F}",
        "c1\u{9B}31m",
        "line\u{2028}separator",
        "\u{2066}isolate\u{2069}\u{200F}rlm\u{200E}",
        "＝1+2",
        "\r=1+2",
        "cr\rlf\nline",
        "![i](javascript:alert(1))",
        "-3.5",
    ]

    /// Characters no text output may hold raw (line feeds and tabs excepted where a format allows them).
    static let samples: [Unicode.Scalar] = ["\u{1B}", "\u{07}", "\u{202E}", "\u{0}", "\u{7F}", "\u{9B}", "\u{2028}",
                                            "\u{2066}", "\u{2069}", "\u{200F}", "\u{200E}", "\r"]

    /// The raw characters of `text` that a terminal or reader would act on: C0 (but `allowed`), DEL, C1, bidi
    /// formatting characters and U+2028/U+2029.
    static func raw(_ text: String, allowing allowed: Set<Unicode.Scalar> = ["\n", "\t"]) -> [String] {
        text.unicodeScalars.filter { u in
            guard !allowed.contains(u) else { return false }
            let v = u.value
            return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x61C || v == 0x200E || v == 0x200F
                || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x2028 || v == 0x2029
        }.map { "U+" + String($0.value, radix: 16, uppercase: true) }
    }

    /// A Lua string literal: printable ASCII as it is, every other byte as `\ddd`.
    static func lua(_ s: String) -> String {
        var out = "\""
        for b in s.utf8 {
            if b >= 0x20 && b < 0x7F && b != 0x22 && b != 0x5C { out.append(Character(Unicode.Scalar(b))) } else {
                out += "\\" + String(format: "%03d", b)
            }
        }
        return out + "\""
    }

    static var table: String { "local H = { " + strings.map(lua).joined(separator: ", ") + " }\n" }

    /// The policy: `version` 2 doubles rule r's points and changes its title, params and a code line (whose
    /// comment holds the hostile strings raw), so that `diff` and `compare` have changes to show.
    static func policy(version: Int) -> String {
        let rawComment = strings.joined(separator: " ").replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        return table + """
            local function H1(i) return H[i] end
            return {
              id = "hostile-\(version)", title = "考核" .. H[1] .. H[3] .. H[9], year = \(2023 + version), base = 0,
              jurisdiction = "hostile",
              source = { title = H[10] .. H[11] .. H[4] },
              bands = {
                { id = H[7], label = H[9] .. H[1], from = "top", fraction = 0.5, meaning = H[11] .. H[2] },
                { id = "@bottom", label = H[10] .. H[16], from = "bottom", fraction = 0.25 },
              },
              inputs = { units = { "unit_id: text", "name: text", "note: text?", "points: number" } },
              rules = {
                { id = "r", citation = H[4], title = H[2] .. H[9] .. "\(version == 2 ? "v2" : "")",
                  params = { label = H[11] .. H[1] .. "\(version)", tiers = { { below = 1, points = 0, label = H[5] } } },
                  score = function(u) return u.points * \(version), u.note or "" end, \(version == 2 ? "-- " + rawComment : "")
                },
                { id = "s", citation = H[5], title = H[10] .. H[3], score = function(u) return 1, H1(1) .. u.name .. H1(11) end },
              },
            }

            """
    }

    static let tests = table + """
        function test_note_is_shown() expect_points(score { unit = { name = H[1], note = H[9] .. H[3] .. "\\n5 passed, 0 failed", points = 1 } }, "r", 5) end
        function test_error_message() error(H[1] .. H[3] .. H[12] .. "\\n0 failed") end
        function test_expect_message() expect(false, H[9] .. H[2] .. H[15]) end
        _ENV["test_" .. H[1] .. H[3] .. "\\nPASS"] = function() end

        """

    /// Units: one per hostile string as its name and note, then three with hostile ids.
    static var units: [[String: Any]] {
        var units: [[String: Any]] = strings.enumerated().map { i, s in
            ["unit_id": String(format: "H%02d", i + 1), "name": s, "note": s, "points": Double(i) - 10.5]
        }
        for (i, id) in ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(1)", "\u{1B}[2J", "[x](javascript:alert(1))"].enumerated() {
            units.append(["unit_id": id, "name": "单位\(i)", "note": "", "points": Double(i)])
        }
        return units
    }

    /// A fresh folder with hostile.lua, hostile_test.lua, hostile2.lua and data.json.
    static func fixture() throws -> String {
        let dir = TemporaryDirectory.make("kaohe-hostile")
        try Data(policy(version: 1).utf8).write(to: URL(fileURLWithPath: dir + "/hostile.lua"))
        try Data(policy(version: 2).utf8).write(to: URL(fileURLWithPath: dir + "/hostile2.lua"))
        try Data(tests.utf8).write(to: URL(fileURLWithPath: dir + "/hostile_test.lua"))
        let json = try JSONSerialization.data(withJSONObject: ["units": units], options: [.sortedKeys])
        try json.write(to: URL(fileURLWithPath: dir + "/data.json"))
        return dir
    }

    /// What a name becomes on loading: data cells lose leading and trailing spaces and tabs.
    static func loaded(_ s: String) -> String {
        var u = Substring(s)
        while let f = u.first, f == " " || f == "\t" { u.removeFirst() }
        while let l = u.last, l == " " || l == "\t" { u.removeLast() }
        return String(u)
    }
}
