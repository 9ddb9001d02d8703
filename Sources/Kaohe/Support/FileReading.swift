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
            var n = 0
            for b in p where b == 0x0A { n += 1 }
            return n
        }
    }
}
