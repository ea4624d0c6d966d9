import Foundation

/// A first-in, first-out queue of fixed capacity between two stages. A full buffer blocks its producer (no item
/// is ever dropped, and memory stays bounded); an empty one blocks its consumers until an item arrives or the
/// producer finishes.
///
/// `@unchecked Sendable`: all state is guarded by `condition`. (Not a `Mutex`: producers and consumers wait on
/// the condition, which `Mutex` does not offer.)
final class BoundedBuffer<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    /// A ring of `capacity` slots; a slot is emptied as its item is taken, so a taken frame is never kept alive.
    private var slots: [Element?]
    private var head = 0
    private var count = 0
    private let capacity: Int
    private var finished = false
    private var cancelled = false

    init(capacity: Int) {
        precondition(capacity >= 1, "a buffer needs room for at least one item")
        self.capacity = capacity
        slots = Array(repeating: nil, count: capacity)
    }

    /// Adds an item, waiting while the buffer is full. Returns false (dropping nothing that mattered) once the
    /// buffer was cancelled because the consumer gave up.
    @discardableResult
    func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        slots[(head + count) % capacity] = item
        count += 1
        condition.broadcast()
        return true
    }

    /// The next item, waiting while the buffer is empty; nil once the producer has finished and all items are
    /// taken, or the buffer was cancelled.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 && !finished && !cancelled { condition.wait() }
        guard !cancelled, count > 0, let item = slots[head] else { return nil }
        slots[head] = nil
        head = (head + 1) % capacity
        count -= 1
        condition.broadcast()
        return item
    }

    /// The producer will add no more items (the end of the stream).
    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stops both sides: producers' `put` returns false and consumers' `take` returns nil.
    func cancel() {
        condition.lock()
        cancelled = true
        slots = Array(repeating: nil, count: capacity)
        count = 0
        condition.broadcast()
        condition.unlock()
    }
}
