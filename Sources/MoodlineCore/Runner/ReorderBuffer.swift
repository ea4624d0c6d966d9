import Foundation

/// Puts results that finish out of order (concurrent workers) back in sequence order for the serial stages.
///
/// Holds at most `capacity` results ahead of the next one due; a worker with a result further ahead waits, so a
/// slow consumer slows the workers instead of growing memory. The result that is due is always accepted, so
/// the pipeline cannot deadlock.
///
/// `@unchecked Sendable`: all state is guarded by `condition`. (Not a `Mutex`: producers and consumers wait on
/// the condition, which `Mutex` does not offer.)
final class ReorderBuffer<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var pending: [Int: Element] = [:]
    private var next = 0
    private let capacity: Int
    private var expectedCount: Int?
    private var cancelled = false

    init(capacity: Int) {
        precondition(capacity >= 1, "a reorder buffer needs room for at least one item")
        self.capacity = capacity
    }

    /// Adds the result with this sequence number; returns false if the buffer was cancelled.
    @discardableResult
    func put(_ item: Element, sequence: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while sequence != next && sequence - next >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        pending[sequence] = item
        condition.broadcast()
        return true
    }

    /// The producers will add exactly `count` results in all.
    func finish(count: Int) {
        condition.lock()
        expectedCount = count
        condition.broadcast()
        condition.unlock()
    }

    /// The next result in sequence order, waiting for it; nil when all `count` results were taken or on cancel.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while pending[next] == nil && !cancelled && (expectedCount.map { next < $0 } ?? true) { condition.wait() }
        guard !cancelled, let item = pending.removeValue(forKey: next) else { return nil }
        next += 1
        condition.broadcast()
        return item
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
