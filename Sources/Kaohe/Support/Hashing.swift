import Crypto
import Foundation

enum Hashing {
    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func sha256Digest(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }

    /// A digest over named parts (file name, then contents), so that the data's hash does not depend on
    /// the order files were read in.
    static func sha256(parts: [(name: String, bytes: [UInt8])]) -> String {
        var h = SHA256()
        for part in parts.sorted(by: { $0.name < $1.name }) {
            h.update(data: Array(part.name.utf8) + [0])
            h.update(data: withUnsafeBytes(of: UInt64(part.bytes.count).littleEndian) { Array($0) })
            h.update(data: part.bytes)
        }
        return h.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
