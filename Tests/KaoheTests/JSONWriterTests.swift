import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// The JSON writer copies runs of plain bytes whole and escapes character by character only where it must:
/// checked against the plain definition (every scalar looked at) on random text made of the characters that
/// matter, and read back by Foundation's JSON parser.
@Suite struct JSONWriterTests {
    /// The definition: `"`, `\`, newline, return and tab escaped; every unsafe scalar as `\uXXXX`.
    static func reference(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if TerminalText.isUnsafe(u) {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    /// Characters next to every boundary the fast path draws: ASCII controls and DEL, C1, the lead bytes C2, D8
    /// and E2 with safe and unsafe characters behind them, four-byte characters, Chinese.
    static let alphabet: [Unicode.Scalar] = [
        "a", "Z", " ", "~", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1B}", "\u{7F}", "\u{80}", "\u{9F}", "\u{A0}", "\u{BF}",
        "\u{61B}", "\u{61C}", "\u{61D}", "\u{2000}", "\u{200E}", "\u{200F}", "\u{2028}", "\u{2029}", "\u{202A}", "\u{202E}",
        "\u{2066}", "\u{2069}", "\u{206A}", "\u{2FFF}", "—", "“", "团", "考", "👍", "\u{1F3FD}", "\u{10FFFF}",
    ]

    @Test(arguments: 0..<8)
    func quotingMatchesTheDefinition(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed))
        for _ in 0..<500 {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0..<24, using: &rng) { s.append(Self.alphabet.randomElement(using: &rng)!) }
            let text = String(s)
            let quoted = JSONWriter.quote(text)
            #expect(quoted == Self.reference(text), "\(Array(text.unicodeScalars.map(\.value)))")
            // and it is JSON that reads back as the same text
            let back = try JSONSerialization.jsonObject(with: Data(("[" + quoted + "]").utf8)) as? [String]
            #expect(back == [text])
        }
    }

    @Test func documentsIndentAndSeparateAsBefore() {
        var w = JSONWriter()
        w.beginObject()
        w.field("a") { $0.number(1) }
        w.field("b") { w in
            w.beginArray()
            w.element { $0.string("x\u{202E}y") }
            w.element { w in w.beginObject(); w.endObject() }
            w.endArray()
        }
        w.field("c", string: nil)
        w.endObject()
        #expect(w.output == "{\n  \"a\": 1,\n  \"b\": [\n    \"x\\u202ey\",\n    {}\n  ],\n  \"c\": null\n}")
    }
}

/// `kaohe score --format json` writes its results in chunks on every core: the document is the same bytes
/// whatever the chunk size (one chunk, a chunk per unit, chunks that do not divide the units).
@Suite struct ChunkedJSONTests {
    @Test func theResultsAreTheSameBytesInAnyChunks() throws {
        var units = "unit_id,name,kind,points,dues\n"
        for i in 0..<2500 { units += "U\(i),单位\(i),\(i % 3 == 0 ? "street" : "township"),\(i % 97),\(80 + i % 20)\n" }
        let policy = try Support.policy(AwardTests.policy(AwardTests.veto + """
          groups = { by = "kind" },
          bands = { { id = "top", label = "前10", from = "top", count = 10, award = true } },
        """))
        let sheet = try Support.score(policy, Support.folder(["units.csv": units]))
        let whole = ScoreReport.json(sheet, chunk: Int.max)
        for chunk in [1, 7, 1024] { #expect(ScoreReport.json(sheet, chunk: chunk) == whole, "chunk \(chunk)") }
        let parsed = try JSONSerialization.jsonObject(with: Data(whole.utf8)) as? [String: Any]
        let results = try #require(parsed?["results"] as? [[String: Any]])
        #expect(results.map { $0["unit"] as? String } == sheet.order.map { sheet.data.unitIDs[$0] })
    }
}
