import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns file bytes into UTF-8 without a BOM. GB18030 goes through glibc's iconv (no Swift package decodes
/// GB18030; Foundation on Linux is ~4× slower, per DESIGN.md).
enum TextDecoding {
    struct Failure: Error {
        var offset: Int
        var message: String
        var code = "encoding.invalid"
        var hint: String?
    }

    static func decode(_ bytes: [UInt8], as encoding: TextEncoding) throws(Failure) -> [UInt8] {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            let rest = Array(bytes.dropFirst(3))
            if let bad = firstInvalidUTF8(rest) {
                throw Failure(offset: bad + 3, message: "invalid UTF-8 after a UTF-8 byte-order mark")
            }
            return rest
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw Failure(offset: 0, message: "the file is UTF-16; save it as UTF-8 (CSV UTF-8) or GB18030")
        }
        switch encoding {
        case .utf8:
            if let bad = firstInvalidUTF8(bytes) {
                throw Failure(offset: bad, message: "invalid UTF-8 (byte 0x\(String(bytes[bad], radix: 16)))", code: "encoding.not-utf8",
                              hint: "if the file was saved by Excel or WPS on Chinese Windows, read it as GB18030")
            }
            return bytes
        case .gb18030:
            return try gb18030ToUTF8(bytes)
        case .auto:
            guard let bad = firstInvalidUTF8(bytes) else { return bytes }
            // GBK text breaks UTF-8 within its first few characters; a file that has already shown many
            // well-formed UTF-8 characters is damaged UTF-8, and reading it as GB18030 would turn every
            // Chinese name into nonsense without a word
            if multibyteUTF8Count(bytes, before: bad) >= damagedUTF8Threshold {
                throw Failure(offset: bad, message: "invalid UTF-8 (byte 0x\(String(bytes[bad], radix: 16))) in a file "
                              + "that is otherwise UTF-8: the file may be damaged here", code: "encoding.damaged-utf8",
                              hint: "retype this character, or read the file as GB18030 if it really is GBK")
            }
            return try gb18030ToUTF8(bytes)
        }
    }

    /// Well-formed multi-byte UTF-8 characters before this many mean the file is UTF-8.
    static let damagedUTF8Threshold = 8

    /// How many multi-byte UTF-8 characters the bytes before `end` hold (they are valid UTF-8).
    static func multibyteUTF8Count(_ bytes: [UInt8], before end: Int) -> Int {
        var n = 0
        for i in 0..<Swift.min(end, bytes.count) where bytes[i] >= 0xC2 && bytes[i] <= 0xF4 { n += 1 }
        return n
    }

    /// Offset of the first byte that is not part of valid UTF-8, or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { p -> Int? in
            let n = p.count
            var i = 0
            while i < n {
                // ASCII eight bytes at a time (most of a CSV file: ids, numbers, separators)
                while i + 8 <= n && UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                }
                if i >= n { break }
                let b = p[i]
                if b < 0x80 { i += 1; continue }
                let need: Int
                if b & 0xE0 == 0xC0 { need = 1; if b < 0xC2 { return i } }
                else if b & 0xF0 == 0xE0 { need = 2 }
                else if b & 0xF8 == 0xF0 { need = 3; if b > 0xF4 { return i } }
                else { return i }
                if i + need >= n { return i }
                for k in 1...need where p[i + k] & 0xC0 != 0x80 { return i }
                if need == 2 {
                    let c = p[i + 1]
                    if (b == 0xE0 && c < 0xA0) || (b == 0xED && c >= 0xA0) { return i }
                } else if need == 3 {
                    let c = p[i + 1]
                    if (b == 0xF0 && c < 0x90) || (b == 0xF4 && c >= 0x90) { return i }
                }
                i += need + 1
            }
            return nil
        }
    }

    static func gb18030ToUTF8(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        guard let cd = iconv_open("UTF-8", "GB18030"), cd != iconv_t(bitPattern: -1) else {
            throw Failure(offset: 0, message: "this system's iconv cannot decode GB18030")
        }
        defer { iconv_close(cd) }
        var out = [UInt8](repeating: 0, count: bytes.count * 2 + 16)
        var input = bytes
        var failedAt: Int?
        let produced = input.withUnsafeMutableBufferPointer { inBuf -> Int in
            out.withUnsafeMutableBufferPointer { outBuf -> Int in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress)?
                    .assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 {
                    failedAt = inBuf.count - inLeft
                }
                return outBuf.count - outLeft
            }
        }
        if let failedAt {
            throw Failure(offset: failedAt, message: "the file is neither valid UTF-8 nor GB18030 (bad byte 0x"
                          + String(bytes[Swift.min(failedAt, bytes.count - 1)], radix: 16) + "); save it as CSV UTF-8")
        }
        out.removeSubrange(produced...)
        return out
    }
}
