/// Notes as UTF-8 bytes in chunks, decoded only when a report shows them.
final class NoteStore: Sendable {
    struct Chunk: Sendable {
        var firstSlot: Int
        var bytes: [UInt8]
        var offsets: [Int64]
    }

    private let chunks: [Chunk]

    init(chunks: [Chunk]) {
        self.chunks = chunks.sorted { $0.firstSlot < $1.firstSlot }
    }

    func note(_ slot: Int) -> String {
        var lo = 0, hi = chunks.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if chunks[mid].firstSlot <= slot { lo = mid } else { hi = mid - 1 }
        }
        let c = chunks[lo]
        let k = slot - c.firstSlot
        let a = Int(c.offsets[k]), b = Int(c.offsets[k + 1])
        return String(decoding: c.bytes[a..<b], as: UTF8.self)
    }
}
