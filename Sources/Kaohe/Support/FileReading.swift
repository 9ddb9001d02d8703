import Foundation
#if canImport(Glibc)
import Glibc
#endif
import CKaoheFile

/// Reads whole files straight into a byte array (one copy of the file in memory, not two as with `Data`).
enum FileReading {
    static func bytes(atPath path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = kh_file_status()
        guard kh_fd_status(fd, &status) == 0, status.kind == KH_FILE_REGULAR else { return nil }
        let size = Int(status.size)
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let n = read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                done += n
            }
            failed = done != size
            count = done
        }
        return failed ? nil : bytes
    }

    /// Number of line feeds: an upper bound on the rows of a CSV file, to size buffers once.
    static func lineCount(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { p in
            var n = 0, i = 0
            // eight bytes at a time: a byte is 0x0A when it xors to zero; (x & 0x7F…) + 0x7F… sets the high bit
            // of each nonzero low part exactly (no carry crosses bytes), so the unmarked bytes are exactly the
            // LFs. Their marks (one per byte) are summed bytewise, and added up every 255 words.
            let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
            while i + 8 <= p.count {
                var sums: UInt64 = 0
                var k = 0
                while k < 255 && i + 8 <= p.count {
                    let x = UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
                    let zero = ~((((x & low) &+ low) | x) | low)
                    sums &+= zero >> 7
                    i += 8
                    k += 1
                }
                // eight byte lanes (each at most 255) into four 16-bit lanes, then their sum (at most 2040)
                let pairs = (sums & 0x00FF_00FF_00FF_00FF) &+ ((sums >> 8) & 0x00FF_00FF_00FF_00FF)
                n += Int((pairs &* 0x0001_0001_0001_0001) >> 48)
            }
            while i < p.count { if p[i] == 0x0A { n += 1 }; i += 1 }
            return n
        }
    }
}
