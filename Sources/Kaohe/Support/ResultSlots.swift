import Foundation

/// Slots that concurrent workers fill, one index each, read once the workers are done. The slots are raw
/// storage: concurrent writes to different elements of one Swift array are a data race (each write checks
/// and may copy the array's shared buffer), which the thread sanitizer reported.
final class ResultSlots<T>: @unchecked Sendable {
    private let values: UnsafeMutablePointer<T?>
    let count: Int

    init(count: Int) {
        self.count = count
        values = .allocate(capacity: Swift.max(count, 1))
        values.initialize(repeating: nil, count: count)
    }

    deinit {
        values.deinitialize(count: count)
        values.deallocate()
    }

    subscript(i: Int) -> T? {
        get {
            precondition(i >= 0 && i < count, "slot \(i) of \(count)")
            return values[i]
        }
        set {
            precondition(i >= 0 && i < count, "slot \(i) of \(count)")
            values[i] = newValue
        }
    }
}
