import Foundation

/// A fixed-size buffer with a stable address, owned by a class so that the C core can read it for as long
/// as the buffer is alive. Column data lives in these, not in Swift arrays, because the sandbox reads
/// cells straight from memory while rules run.
public final class ColumnBuffer<Element>: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Element>
    public let count: Int
    private let mallocated: Bool

    public init(repeating value: Element, count: Int) {
        self.count = count
        mallocated = false
        pointer = .allocate(capacity: Swift.max(count, 1))
        pointer.initialize(repeating: value, count: Swift.max(count, 1))
    }

    /// Takes ownership of memory from `malloc`/`realloc` holding `count` initialised trivial values.
    public init(adoptingMallocated pointer: UnsafeMutablePointer<Element>, count: Int) {
        precondition(_isPOD(Element.self), "only trivial element types can be adopted")
        self.pointer = pointer
        self.count = count
        mallocated = true
    }

    public convenience init(_ values: [Element]) {
        self.init(count: values.count) { buffer in
            for (i, v) in values.enumerated() { buffer[i] = v }
        }
    }

    /// Allocates `count` elements and lets `fill` initialise every one of them.
    public init(count: Int, fill: (UnsafeMutableBufferPointer<Element>) -> Void) {
        self.count = count
        mallocated = false
        pointer = .allocate(capacity: Swift.max(count, 1))
        fill(UnsafeMutableBufferPointer(start: pointer, count: count))
    }

    deinit {
        if mallocated { free(pointer) } else { pointer.deallocate() }
    }

    public subscript(index: Int) -> Element {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }

    public var buffer: UnsafeMutableBufferPointer<Element> { UnsafeMutableBufferPointer(start: pointer, count: count) }
}
