import CKaoheFile
import Foundation
import Kaohe

/// How reports and forms reach their file.
enum OutputFile {
    enum Kind: Equatable {
        /// Nothing there yet, or a regular file: written to a temporary file beside it, then renamed over it.
        case file
        /// A character device or a FIFO (`/dev/stdout`, `/dev/null`, a named pipe): opened and written in place,
        /// never replaced.
        case stream
        /// A folder, a block device or a socket ("a folder"): refused.
        case unwritable(String)
    }

    /// What is at `path`, following symbolic links.
    static func kind(_ path: String) -> Kind {
        var st = kh_file_status()
        guard kh_path_status(path, 1, &st) == 0 else { return .file }
        switch Int(st.kind) {
        case Int(KH_FILE_REGULAR): return .file
        case Int(KH_FILE_CHARACTER_DEVICE), Int(KH_FILE_FIFO): return .stream
        case Int(KH_FILE_DIRECTORY): return .unwritable("a folder")
        case Int(KH_FILE_BLOCK_DEVICE): return .unwritable("a block device")
        case Int(KH_FILE_SOCKET): return .unwritable("a socket")
        default: return .unwritable("not a regular file")
        }
    }

    /// Writes `data` to `path`. A file is replaced atomically (a temporary file in the same folder, then rename),
    /// so a reader never sees half a report; through a symbolic link, the file it points to is replaced and the
    /// link is kept. A character device or FIFO is written in place. Anything else is refused.
    static func write(_ data: Data, to path: String) throws {
        switch kind(path) {
        case .unwritable(let kind):
            throw CLIError("\(path) is \(kind), not a file kaohe can write to; nothing was written")
        case .stream:
            try writeInPlace(data, to: path)
        case .file:
            do {
                try data.write(to: URL(fileURLWithPath: OutputGuard.resolved(path)), options: .atomic)
            } catch {
                throw CLIError("\(path): cannot write the output file: \(fileErrorReason(error))")
            }
        }
    }

    private static func writeInPlace(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw CLIError("\(path): cannot open for writing: \(String(cString: strerror(errno)))") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data)
            try handle.close()
        } catch {
            throw CLIError("\(path): cannot write: \(fileErrorReason(error))")
        }
    }
}
