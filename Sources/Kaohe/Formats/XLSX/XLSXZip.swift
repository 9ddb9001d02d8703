import Foundation
import ZIPFoundation

/// The zip layer of .xlsx, on ZIPFoundation: parts written with fixed dates, and read back without hanging.
enum XLSXZip {
    /// Every entry carries this date (1980-01-01 00:00 UTC, the earliest a zip can hold), so the bytes
    /// depend only on the parts.
    static let entryDate = Date(timeIntervalSince1970: 315_532_800)
    /// Bounds on what a workbook may unpack to, checked before and while inflating (a part never unpacks past
    /// the size it declares), so that a zip bomb is a clear error and not an exhausted machine. A sheet of
    /// 500,000 rows × 3 columns as LibreOffice writes it is ~115 MB; deflate packs real sheets 5–50 times, a
    /// bomb ~1,000 times.
    struct Limits: Sendable {
        /// No part may unpack to more than this.
        var part = 128 << 20
        /// The parts of one workbook together.
        var workbook = 256 << 20
        /// A part over `ratioFrom` bytes may not unpack to more than this many times its packed size.
        var ratio = 200
        var ratioFrom = 1 << 20

        static let standard = Limits()
    }
    static let chunk = 64 << 10

    /// Zips parts in the given order, deflated.
    static func zip(_ parts: [(path: String, data: Data)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for part in parts {
            let bytes = part.data
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(bytes.count),
                                 modificationDate: entryDate, compressionMethod: .deflate) { position, size in
                let start = Int(position)
                return bytes.subdata(in: start..<Swift.min(start + size, bytes.count))
            }
        }
        guard let data = archive.data else { throw XLSXWriteError(message: "the zip archive could not be built") }
        return data
    }

    /// The files of a zip held in memory. ZIPFoundation reads the central directory; each part is inflated with
    /// its `Data.decompress` through a provider that ends at the part's last byte, because `Archive.extract`
    /// in 0.9.20 spins forever on Linux when a damaged deflate stream runs on to the end of the archive
    /// (weichsel/ZIPFoundation#389) and lets zlib read past a short last chunk.
    struct Reader {
        let file: String
        let bytes: [UInt8]
        private var entries: [String: Entry] = [:]
        /// Offset of each entry's local header, by lowercased path.
        private var headers: [String: Int] = [:]
        /// Bytes unpacked so far from this workbook (parts are read one after another).
        private let unpacked = UnpackedBytes()

        private final class UnpackedBytes: @unchecked Sendable { var count = 0 }

        private func damaged(_ detail: String) -> DataError {
            DataError(diagnostics: [Diagnostic(file: file, code: "xlsx.damaged", message: "the zip archive is damaged: \(detail)")])
        }

        /// `bytes` are the contents of `file`; with `onDisk` false they are not on disk and go through a temporary
        /// file, because ZIPFoundation's in-memory archives trap when a damaged directory points past the end.
        let limits: Limits

        init(bytes: [UInt8], file: String, onDisk: Bool, limits: Limits = .standard) throws {
            self.file = file
            self.bytes = bytes
            self.limits = limits
            var url = URL(fileURLWithPath: file)
            if !onDisk {
                url = FileManager.default.temporaryDirectory.appendingPathComponent("kaohe-\(UUID().uuidString).xlsx")
                try Data(bytes).write(to: url)
            }
            defer { if !onDisk { try? FileManager.default.removeItem(at: url) } }
            let archive: Archive
            do {
                archive = try Archive(url: url, accessMode: .read)
            } catch {
                throw DataError(diagnostics: [Diagnostic(file: file, code: "xlsx.damaged", message: "not a readable .xlsx workbook: the zip archive is damaged (\(error))")])
            }
            for entry in archive where entry.type == .file {
                entries[entry.path.replacingOccurrences(of: "\\", with: "/").lowercased()] = entry
            }
            // local headers: the signature PK\3\4 followed, 30 bytes on, by a name the directory lists
            var p = 0
            while p + 30 <= bytes.count {
                if bytes[p] == 0x50 && bytes[p + 1] == 0x4B && bytes[p + 2] == 3 && bytes[p + 3] == 4 {
                    let n = Int(u16(p + 26))
                    if p + 30 + n <= bytes.count {
                        let name = String(decoding: bytes[(p + 30)..<(p + 30 + n)], as: UTF8.self)
                            .replacingOccurrences(of: "\\", with: "/").lowercased()
                        if entries[name] != nil && headers[name] == nil { headers[name] = p }
                    }
                }
                p += 1
            }
        }

        private static func megabytes(_ n: Int) -> String { n >= 1 << 20 ? "\(n >> 20) MB" : "\(n) bytes" }

        private func u16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }

        /// The part's bytes, nil when the zip has no such part.
        func part(_ path: String) throws -> Data? {
            let key = path.lowercased()
            guard let entry = entries[key] else { return nil }
            guard let header = headers[key] else { throw damaged("the part \(path) has no local header") }
            if u16(header + 6) & 1 != 0 {
                throw DataError(diagnostics: [Diagnostic(file: file, code: "xlsx.encrypted", message: "the workbook is encrypted; remove its password in Excel or WPS and save it again")])
            }
            let start = header + 30 + Int(u16(header + 26)) + Int(u16(header + 28))
            guard entry.compressedSize <= UInt64(bytes.count), start + Int(entry.compressedSize) <= bytes.count else {
                throw damaged("the part \(path) runs past the end of the file")
            }
            let size = Int(entry.compressedSize), expected = Int(entry.uncompressedSize)
            func tooBig(_ why: String) -> DataError {
                DataError(diagnostics: [Diagnostic(file: file, code: "xlsx.too-large", message: "the part \(path) \(why), more than kaohe reads "
                    + "from a workbook (each part up to \(Self.megabytes(limits.part)) unpacked, at most \(limits.ratio) times its "
                    + "packed size, \(Self.megabytes(limits.workbook)) for the whole workbook); the file is damaged or made to "
                    + "exhaust memory. Give large data sets as CSV files")])
            }
            guard expected <= limits.part else { throw tooBig("unpacks to \(expected) bytes") }
            guard expected <= limits.ratioFrom || expected / Swift.max(size, 1) <= limits.ratio else {
                throw tooBig("unpacks to \(expected) bytes from \(size)")
            }
            guard unpacked.count + expected <= limits.workbook else {
                throw tooBig("would take the workbook past \(Self.megabytes(limits.workbook)) unpacked")
            }
            unpacked.count += expected
            var out = Data()
            switch u16(header + 8) {
            case 0:
                out = Data(bytes[start..<(start + size)])
            case 8:
                out.reserveCapacity(expected)
                let bytes = self.bytes
                do {
                    _ = try Data.decompress(size: Int64(size), bufferSize: XLSXZip.chunk, skipCRC32: true, provider: { position, want in
                        let from = Int(position)
                        guard from < size else { throw CocoaError(.fileReadCorruptFile) }
                        var chunk = Data(bytes[(start + from)..<(start + Swift.min(size, from + want))])
                        // zlib is told `want` bytes are there: pad rather than let it read past the chunk
                        if chunk.count < want { chunk.append(Data(count: want - chunk.count)) }
                        return chunk
                    }, consumer: { data in
                        out.append(data)
                        if out.count > expected { throw CocoaError(.fileReadCorruptFile) }
                    })
                } catch {
                    throw damaged("the part \(path) cannot be unpacked")
                }
            case let method:
                throw damaged("the part \(path) uses compression method \(method), which .xlsx does not")
            }
            guard out.count == expected, out.crc32(checksum: 0) == entry.checksum else {
                throw damaged("the part \(path) fails its checksum")
            }
            return out
        }
    }
}
