import Synchronization

/// A request to stop a batch early (SIGINT, SIGTERM), shared by every queue of the batch.
///
/// Once stopped, no input starts, decoding stops taking frames, and what is in flight is settled: written and
/// committed (photo sets keep their checkpoint), so the batch ends cleanly and a rerun picks up from there.
public final class StopRequest: Sendable {
    private let signal = Mutex<Int32?>(nil)

    public init() {}

    /// Asks the batch to stop; `signal` is the signal number that asked (recorded for the exit status).
    public func stop(signal number: Int32) {
        signal.withLock { if $0 == nil { $0 = number } }
    }

    /// Whether a stop has been asked for.
    public var isStopped: Bool { signal.withLock { $0 != nil } }

    /// The signal that asked, if one did.
    public var signalNumber: Int32? { signal.withLock { $0 } }
}
