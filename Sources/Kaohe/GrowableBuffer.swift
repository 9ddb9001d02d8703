/// An append-only buffer with manual storage: no copy-on-write or exclusivity checks in the per-cell
/// loops of the loaders (those checks were a third of the loading time at 4 million rows).
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

    /// Frees the storage (the buffer is empty afterwards).
    func release() {
        pointer.deinitialize(count: count)
        pointer.deallocate()
        capacity = 16
        pointer = .allocate(capacity: capacity)
        count = 0
    }

    /// Forgets the contents (keeps the storage).
    func removeAll() {
        pointer.deinitialize(count: count)
        count = 0
    }

    @inline(__always)
    subscript(i: Int) -> Element {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }
}
