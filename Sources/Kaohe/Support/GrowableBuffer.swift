/// An append-only byte buffer with a stable address between appends (the CSV reader's side buffer for
/// unescaped quoted fields).
final class GrowableBuffer<Element> {
    private(set) var pointer: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 1024) {
        self.capacity = Swift.max(capacity, 16)
        pointer = .allocate(capacity: self.capacity)
    }

    deinit {
        pointer.deinitialize(count: count)
        pointer.deallocate()
    }

    @inline(__always)
    func append(_ value: Element) {
        if count == capacity { grow() }
        (pointer + count).initialize(to: value)
        count += 1
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: pointer, count: count)
        pointer.deallocate()
        pointer = bigger
        capacity *= 2
    }

    /// Forgets the contents (keeps the storage).
    func removeAll() {
        pointer.deinitialize(count: count)
        count = 0
    }
}
