import Foundation

/// Interned byte strings with stable storage: each distinct value is stored once and named by an `Int32`
/// code. Text columns hold codes; the sandbox reads the bytes through `frozen()` pointers.
///
/// Hand-written (open addressing over byte slices, FNV-1a) because interning millions of CSV cells through
/// `Dictionary<String, Int32>` would create a `String` per cell.
public final class StringPool: @unchecked Sendable {
    private var storage: UnsafeMutablePointer<UInt8>
    private var storageCapacity: Int
    private var byteCount = 0
    private var offsets: UnsafeMutablePointer<Int64>
    private var offsetCapacity: Int
    public private(set) var count = 0
    private var slots: UnsafeMutablePointer<Int32>
    private var slotMask: Int

    public init(expected: Int = 64) {
        storageCapacity = 1024
        storage = .allocate(capacity: storageCapacity)
        offsetCapacity = Swift.max(expected, 16) + 1
        offsets = .allocate(capacity: offsetCapacity)
        offsets[0] = 0
        var n = 16
        while n < expected * 2 { n <<= 1 }
        slots = .allocate(capacity: n)
        slots.initialize(repeating: -1, count: n)
        slotMask = n - 1
    }

    deinit {
        storage.deallocate()
        offsets.deallocate()
        slots.deallocate()
    }

    @inline(__always)
    private static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<n {
            h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01b3
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inline(__always)
    private func equals(_ code: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let a = Int(offsets[Int(code)]), b = Int(offsets[Int(code) + 1])
        guard b - a == n else { return false }
        return n == 0 || memcmp(storage + a, p, n) == 0
    }

    /// The code of an existing value, or nil.
    public func lookup(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        var i = StringPool.hash(p, n) & slotMask
        while true {
            let code = slots[i]
            if code < 0 { return nil }
            if equals(code, p, n) { return code }
            i = (i + 1) & slotMask
        }
    }

    /// The code of the value, adding it when new. `isNew` tells which.
    @discardableResult
    public func intern(_ p: UnsafePointer<UInt8>, _ n: Int, isNew: UnsafeMutablePointer<Bool>? = nil) -> Int32 {
        var i = StringPool.hash(p, n) & slotMask
        while true {
            let code = slots[i]
            if code < 0 { break }
            if equals(code, p, n) {
                isNew?.pointee = false
                return code
            }
            i = (i + 1) & slotMask
        }
        isNew?.pointee = true
        let code = Int32(count)
        append(p, n)
        slots[i] = code
        if count * 2 > slotMask { grow() }
        return code
    }

    @discardableResult
    public func intern(_ s: String) -> Int32 {
        var s = s
        return s.withUTF8 { intern($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
    }

    private func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
        if byteCount + n > storageCapacity {
            var cap = storageCapacity * 2
            while cap < byteCount + n { cap *= 2 }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: cap)
            bigger.update(from: storage, count: byteCount)
            storage.deallocate()
            storage = bigger
            storageCapacity = cap
        }
        if n > 0 { (storage + byteCount).update(from: p, count: n) }
        byteCount += n
        if count + 2 > offsetCapacity {
            let cap = offsetCapacity * 2
            let bigger = UnsafeMutablePointer<Int64>.allocate(capacity: cap)
            bigger.update(from: offsets, count: count + 1)
            offsets.deallocate()
            offsets = bigger
            offsetCapacity = cap
        }
        count += 1
        offsets[count] = Int64(byteCount)
    }

    private func grow() {
        let n = (slotMask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: n)
        slots.initialize(repeating: -1, count: n)
        slotMask = n - 1
        for code in 0..<count {
            let a = Int(offsets[code]), b = Int(offsets[code + 1])
            var i = StringPool.hash(storage + a, b - a) & slotMask
            while slots[i] >= 0 { i = (i + 1) & slotMask }
            slots[i] = Int32(code)
        }
    }

    /// The bytes of value `code`.
    public func bytes(_ code: Int32) -> UnsafeBufferPointer<UInt8> {
        let a = Int(offsets[Int(code)]), b = Int(offsets[Int(code) + 1])
        return UnsafeBufferPointer(start: storage + a, count: b - a)
    }

    public func string(_ code: Int32) -> String {
        String(decoding: bytes(code), as: UTF8.self)
    }

    /// Pointers for the C core; valid until the next `intern` of a new value.
    func frozen() -> (bytes: UnsafePointer<UInt8>, offsets: UnsafePointer<Int64>) {
        (UnsafePointer(storage), UnsafePointer(offsets))
    }
}
