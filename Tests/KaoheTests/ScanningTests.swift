import Foundation
import Testing
@testable import Kaohe
import KaoheTestSupport

/// The loaders' word-at-a-time scans (CSV separators, line count, ASCII runs of UTF-8, plain numbers) checked
/// against byte-by-byte definitions on random text made of the bytes that matter, at every offset from an
/// eight-byte boundary.
@Suite struct ScanningTests {
    /// A CSV record as the reference reads it: its first line and its field values, or the syntax error's
    /// line and byte offset.
    enum Read: Equatable {
        case record(line: Int, fields: [[UInt8]])
        case problem(line: Int, offset: Int)
    }

    /// RFC 4180 as CSVReader documents it, one byte at a time: blank lines skipped, a quoted field runs to
    /// its closing quote (doubled quotes are one), an unquoted one to a comma, LF or CRLF (a lone CR is text).
    static func reference(_ b: [UInt8]) -> [Read] {
        var out: [Read] = []
        var i = 0, line = 1
        let n = b.count
        func isLineEnd(_ k: Int) -> Bool { b[k] == 0x0A || (b[k] == 0x0D && k + 1 < n && b[k + 1] == 0x0A) }
        while true {
            while i < n && isLineEnd(i) { i += b[i] == 0x0D ? 2 : 1; line += 1 }
            if i >= n { return out }
            let recordLine = line
            var fields: [[UInt8]] = []
            while true {
                var value: [UInt8] = []
                if i < n && b[i] == 0x22 {
                    let open = i, openLine = line
                    i += 1
                    var closed = false
                    while i < n {
                        if b[i] == 0x22 {
                            if i + 1 < n && b[i + 1] == 0x22 { value.append(0x22); i += 2; continue }
                            closed = true
                            break
                        }
                        if b[i] == 0x0A { line += 1 }
                        value.append(b[i])
                        i += 1
                    }
                    if !closed { out.append(.problem(line: openLine, offset: open)); return out }
                    i += 1
                    if i < n && b[i] != 0x2C && !isLineEnd(i) { out.append(.problem(line: line, offset: i)); return out }
                } else {
                    while i < n && b[i] != 0x2C && !isLineEnd(i) { value.append(b[i]); i += 1 }
                }
                fields.append(value)
                if i >= n { out.append(.record(line: recordLine, fields: fields)); return out }
                if b[i] == 0x2C { i += 1; continue }
                i += b[i] == 0x0D ? 2 : 1
                line += 1
                out.append(.record(line: recordLine, fields: fields))
                break
            }
        }
    }

    static func read(_ bytes: [UInt8]) -> [Read] {
        bytes.withUnsafeBufferPointer { buf in
            var reader = CSVReader(bytes: buf)
            var out: [Read] = []
            do {
                while let line = try reader.next() {
                    out.append(.record(line: line, fields: reader.fields.map { Array(reader.value($0)) }))
                }
            } catch let problem as CSVReader.Problem {
                out.append(.problem(line: problem.line, offset: problem.offset))
            } catch {
                Issue.record("unexpected \(error)")
            }
            return out
        }
    }

    /// Random bytes from the alphabet that matters to a scanner, in runs long enough to cross words.
    static func randomText(_ rng: inout SplitMix64, pieces: [[UInt8]], maxLength: Int) -> [UInt8] {
        var out: [UInt8] = []
        let length = Int(rng.next() % UInt64(maxLength + 1))
        while out.count < length { out += pieces[Int(rng.next() % UInt64(pieces.count))] }
        return out
    }

    static let csvPieces: [[UInt8]] = ["a", "7", " ", ",", "\"", "\n", "\r", "\r\n", "é", "中", "abcdefghij", "\"\""]
        .map { Array($0.utf8) }

    @Test func csvReaderAgreesWithTheByteByByteDefinition() {
        var rng = SplitMix64(seed: 14)
        for k in 0..<6000 {
            let text = ScanningTests.randomText(&rng, pieces: ScanningTests.csvPieces, maxLength: 70)
            let got = ScanningTests.read(text), want = ScanningTests.reference(text)
            #expect(got == want, "case \(k): \(String(decoding: text, as: UTF8.self).debugDescription)")
            if got != want { return }
        }
    }

    @Test func csvReaderFindsSeparatorsAtEveryOffsetOfAWord() {
        // a long unquoted field ending in each separator at each position, then a second field
        for length in 0..<40 {
            for end in [",", "\n", "\r\n", "\r"] {
                let text = Array((String(repeating: "x", count: length) + end + "y").utf8)
                #expect(ScanningTests.read(text) == ScanningTests.reference(text), "length \(length), \(end.debugDescription)")
            }
        }
    }

    @Test func lineCountCountsEveryLineFeed() {
        var rng = SplitMix64(seed: 15)
        let pieces: [[UInt8]] = ["\n", "a", "\r\n", "中", "\n\n\n\n\n\n\n\n"].map { Array($0.utf8) }
        for _ in 0..<500 {
            let text = ScanningTests.randomText(&rng, pieces: pieces, maxLength: 300)
            #expect(FileReading.lineCount(text) == text.filter { $0 == 0x0A }.count)
        }
        // more line feeds in a row than a lane's sum holds (255 words of eight)
        for n in [2039, 2040, 2041, 2048, 5000, 16_321] {
            #expect(FileReading.lineCount([UInt8](repeating: 0x0A, count: n)) == n)
            #expect(FileReading.lineCount([0x41] + [UInt8](repeating: 0x0A, count: n)) == n)
        }
    }

    @Test func utf8CheckAgreesWithSwiftsDecoder() {
        var rng = SplitMix64(seed: 16)
        let pieces: [[UInt8]] = [[0x41], [0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49], Array("é".utf8), Array("中".utf8),
                                 Array("😀".utf8), [0xE4], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF]]
        for k in 0..<3000 {
            let text = ScanningTests.randomText(&rng, pieces: pieces, maxLength: 60)
            let valid = String(validating: text, as: UTF8.self) != nil
            let first = TextDecoding.firstInvalidUTF8(text)
            #expect((first == nil) == valid, "case \(k): \(text)")
            if let first {
                // everything before the first invalid byte is valid UTF-8
                #expect(String(validating: Array(text[..<first]), as: UTF8.self) != nil, "case \(k): \(text) at \(first)")
            }
        }
    }

    @Test func plainDecimalsReadAsTheGeneralParserReadsThem() {
        var rng = SplitMix64(seed: 17)
        let pieces: [[UInt8]] = ["0", "1", "5", "9", ".", "-", "+", "e", "%", " "].map { Array($0.utf8) }
        var plain = 0
        for k in 0..<20_000 {
            let text = ScanningTests.randomText(&rng, pieces: pieces, maxLength: 18)
            text.withUnsafeBufferPointer { p in
                guard let (v, integral) = NumberParsing.plainDecimal(p) else { return }
                plain += 1
                let general = NumberParsing.parse(p)
                #expect(general?.bitPattern == v.bitPattern, "case \(k): \(String(decoding: text, as: UTF8.self))")
                #expect(NumberParsing.significantDigits(p) <= 15 && abs(v) < TableBuilder.numberLimit)
                #expect(!integral || v == v.rounded(), "case \(k)")
            }
        }
        #expect(plain > 500)
        // Clinger's fast path at its edges: 15 digits, 15 fraction digits
        let edges: [(String, Double)] = [("999999999999999", 999_999_999_999_999), ("-999999999999999", -999_999_999_999_999),
                                         ("0.00000000000001", 0.00000000000001), ("97.69", 97.69), ("0.1", 0.1), (".5", 0.5),
                                         ("-0", -0.0), ("123456789.012345", 123456789.012345)]
        for (s, want) in edges {
            let bytes = Array(s.utf8)
            bytes.withUnsafeBufferPointer { p in
                #expect(NumberParsing.plainDecimal(p)?.0.bitPattern == want.bitPattern, "\(s)")
            }
        }
        for s in ["1234567890123456", "0.000000000000001", "5.", "-", ".", "1e5", "+1", "1.2.3", ""] {
            let bytes = Array(s.utf8)
            bytes.withUnsafeBufferPointer { p in #expect(NumberParsing.plainDecimal(p) == nil, "\(s)") }
        }
    }

    /// HTML escaping by the definition: scalar by scalar.
    static func escapeReference(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(ch)
            default:
                if ch.value == 0xFFFE || ch.value == 0xFFFF { continue }
                if TerminalText.isUnsafe(ch) { out += TerminalText.visible(ch) } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    @Test func htmlEscapingOnBytesIsEscapingByScalars() {
        var rng = SplitMix64(seed: 18)
        let pieces: [[UInt8]] = ["&", "<", ">", "\"", "'", "\t", "\n", "\r", "\u{1B}", "\u{7F}", "\u{85}", "\u{9F}", "\u{A0}", "·",
                                 "\u{61C}", "\u{600}", "\u{200E}", "—", "\u{202E}", "\u{2066}", "\u{2028}", "\u{FFFE}", "\u{FFFF}",
                                 "\u{FEFF}", "\u{EFBF}", "中", "a", "😀", "plain text"].map { Array($0.utf8) }
        for k in 0..<4000 {
            let text = String(decoding: ScanningTests.randomText(&rng, pieces: pieces, maxLength: 40), as: UTF8.self)
            #expect(HTMLWriter.escape(text) == ScanningTests.escapeReference(text), "case \(k): \(text.debugDescription)")
        }
    }
}
