import Synchronization

/// When a live connection last did anything, so that one left idle can be closed and its camera slot freed.
/// A frame being analysed counts as activity however long it takes.
final class LiveActivity: Sendable {
    private let state = Mutex((last: ContinuousClock.now, busy: false))

    /// A message came in (`busy`: its analysis begins) or its reply went out (`busy` false).
    func touch(busy: Bool) {
        state.withLock { $0 = (ContinuousClock.now, busy) }
    }

    /// How long the connection has been idle: zero while a frame is being analysed.
    var idle: Duration {
        state.withLock { $0.busy ? .zero : ContinuousClock.now - $0.last }
    }
}
