/// An RFC 4180 CSV reader over UTF-8 bytes: commas, quotes and newlines inside quoted fields, doubled quotes,
/// LF or CRLF line ends, blank lines skipped. Fields are byte ranges into the buffer (quoted fields with
/// doubled quotes are unescaped into a side buffer), so reading allocates nothing per cell.
///
/// Hand-written: the mirrored CSV packages (SwiftCSV, CSV.swift) build a `String` per cell, which is the
/// cost that matters at 4 million rows.
struct CSVReader {
    struct Field {
        /// Byte range of the value (into `bytes`, or into `unescaped` when `inSide`).
        var start: Int
        var end: Int
        var inSide: Bool
        /// Physical line and the offset where that line starts, for column numbers.
        var line: Int
        var lineStart: Int
        var quoted: Bool
        /// Byte offset in the file where the field starts (its opening quote, if any).
        var origin: Int
    }

    struct Problem: Error {
        var line: Int
        var lineStart: Int
        var offset: Int
        var message: String
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    private(set) var line = 1
    private(set) var lineStart = 0
    /// The fields of the record `next()` read last (valid until the next call).
    var fields: UnsafeBufferPointer<Field> { UnsafeBufferPointer(start: store.pointer, count: store.count) }
    /// The fields, reused from record to record (an array's removeAll cost more than the scan of a short row).
    private let store: GrowableBuffer<Field>
    /// Unescaped values of quoted fields with doubled quotes (reset per record).
    private let side: GrowableBuffer<UInt8>

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        side = GrowableBuffer<UInt8>(capacity: 256)
        store = GrowableBuffer<Field>(capacity: 32)
    }

    private static let comma: UInt8 = 0x2C, quote: UInt8 = 0x22, cr: UInt8 = 0x0D, lf: UInt8 = 0x0A

    /// A mask with the high bit set in the lowest byte of `w` (in memory order) that is a comma, LF or CR, and
    /// possibly in bytes after it, 0 when there is none: SWAR zero-byte tests on `w` xor each separator. A
    /// zero-byte test can mark a byte above a true zero, never below one, so the lowest mark is exact.
    @inline(__always)
    private static func stops(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let a = w ^ 0x2C2C_2C2C_2C2C_2C2C, b = w ^ 0x0A0A_0A0A_0A0A_0A0A, c = w ^ 0x0D0D_0D0D_0D0D_0D0D
        return (((a &- ones) & ~a) | ((b &- ones) & ~b) | ((c &- ones) & ~c)) & highs
    }

    /// Reads the next non-blank record into `fields`; returns its first line, or nil at the end.
    mutating func next() throws(Problem) -> Int? {
        let n = bytes.count
        // skip blank lines
        while position < n {
            let b = bytes[position]
            if b == CSVReader.lf { position += 1; line += 1; lineStart = position }
            else if b == CSVReader.cr && position + 1 < n && bytes[position + 1] == CSVReader.lf {
                position += 2; line += 1; lineStart = position
            } else { break }
        }
        if position >= n { return nil }
        store.removeAll()
        side.removeAll()
        let recordLine = line
        while true {
            // one field
            if position < n && bytes[position] == CSVReader.quote {
                let fieldLine = line, fieldLineStart = lineStart, open = position
                position += 1
                let start = position
                var hasDoubled = false
                var closed = false
                while position < n {
                    let b = bytes[position]
                    if b == CSVReader.quote {
                        if position + 1 < n && bytes[position + 1] == CSVReader.quote {
                            hasDoubled = true
                            position += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    if b == CSVReader.lf { line += 1; lineStart = position + 1 }
                    position += 1
                }
                if !closed {
                    throw Problem(line: fieldLine, lineStart: fieldLineStart, offset: open,
                                  message: "a quoted field is never closed (missing '\"')")
                }
                let end = position
                position += 1  // closing quote
                if hasDoubled {
                    let s = side.count
                    var i = start
                    while i < end {
                        side.append(bytes[i])
                        i += bytes[i] == CSVReader.quote ? 2 : 1
                    }
                    store.append(Field(start: s, end: side.count, inSide: true, line: fieldLine,
                                       lineStart: fieldLineStart, quoted: true, origin: open))
                } else {
                    store.append(Field(start: start, end: end, inSide: false, line: fieldLine,
                                       lineStart: fieldLineStart, quoted: true, origin: open))
                }
                if position < n {
                    let b = bytes[position]
                    if b != CSVReader.comma && b != CSVReader.lf && !(b == CSVReader.cr && position + 1 < n && bytes[position + 1] == CSVReader.lf) {
                        throw Problem(line: line, lineStart: lineStart, offset: position,
                                      message: "unexpected text after a closing quote (a field with quotes must be quoted whole, with inner quotes doubled)")
                    }
                }
            } else {
                let start = position
                while position < n {
                    #if _endian(little)
                    // eight bytes at a time to the next comma, LF or CR (which ends the field only before an LF)
                    if position + 8 <= n {
                        let m = CSVReader.stops(UnsafeRawPointer(bytes.baseAddress! + position).loadUnaligned(as: UInt64.self))
                        if m == 0 { position += 8; continue }
                        position += m.trailingZeroBitCount >> 3
                    }
                    #endif
                    let b = bytes[position]
                    if b == CSVReader.comma || b == CSVReader.lf { break }
                    if b == CSVReader.cr && position + 1 < n && bytes[position + 1] == CSVReader.lf { break }
                    position += 1
                }
                store.append(Field(start: start, end: position, inSide: false, line: line,
                                   lineStart: lineStart, quoted: false, origin: start))
            }
            // separator or end of record
            if position >= n { return recordLine }
            let b = bytes[position]
            if b == CSVReader.comma { position += 1; continue }
            if b == CSVReader.cr { position += 2 } else { position += 1 }
            line += 1
            lineStart = position
            return recordLine
        }
    }

    /// The bytes of a field.
    @inline(__always)
    func value(_ f: Field) -> UnsafeBufferPointer<UInt8> {
        if f.inSide {
            return UnsafeBufferPointer(start: side.pointer + f.start, count: f.end - f.start)
        }
        return UnsafeBufferPointer(rebasing: bytes[f.start..<f.end])
    }

    /// 1-based column (in characters) of a byte offset on a line.
    func column(offset: Int, lineStart: Int) -> Int {
        var chars = 0
        var i = lineStart
        while i < offset && i < bytes.count {
            if bytes[i] & 0xC0 != 0x80 { chars += 1 }
            i += 1
        }
        return chars + 1
    }

    func column(of f: Field) -> Int {
        column(offset: f.origin, lineStart: f.lineStart)
    }
}
