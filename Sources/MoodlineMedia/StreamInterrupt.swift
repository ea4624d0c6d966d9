import Foundation
import Synchronization

/// Ends a live input's blocking reads: FFmpeg asks it whenever a read waits. It says to end when the consumer
/// wants to stop (SIGINT, `--duration`) or when no data has come for `stallSeconds`.
final class StreamInterrupt: Sendable {
    /// Seconds without data after which a stream counts as stalled; 0 waits for ever.
    let stallSeconds: Double
    private let shouldStop: @Sendable () -> Bool
    private struct State {
        var lastData = ContinuousClock.now
        var stalled = false
        var stopped = false
    }
    private let state = Mutex(State())

    init(stallSeconds: Double, shouldStop: @escaping @Sendable () -> Bool) {
        self.stallSeconds = stallSeconds
        self.shouldStop = shouldStop
    }

    /// Data arrived: the stall clock starts again.
    func touch() { state.withLock { $0.lastData = .now } }

    /// Whether the read FFmpeg is waiting in should end now.
    func shouldEndRead() -> Bool {
        if shouldStop() {
            state.withLock { $0.stopped = true }
            return true
        }
        return state.withLock { state in
            guard stallSeconds > 0, ContinuousClock.now - state.lastData > .seconds(stallSeconds) else { return false }
            state.stalled = true
            return true
        }
    }

    /// Whether a read ended because the stream stalled.
    var stalled: Bool { state.withLock { $0.stalled } }
    /// Whether a read ended because the consumer asked to stop.
    var stopped: Bool { state.withLock { $0.stopped } }

    /// FFmpeg's `pipe` protocol blocks in `read` without asking the interrupt callback; on a non-blocking pipe it
    /// polls instead (a millisecond apart), asking it each time, so a stalled or stopped standard input can end.
    /// Only a pipe or socket is switched, never a terminal.
    static func makeStandardInputPollable() {
        var status = stat()
        guard fstat(0, &status) == 0, (status.st_mode & S_IFMT) == S_IFIFO || (status.st_mode & S_IFMT) == S_IFSOCK
        else { return }
        let flags = fcntl(0, F_GETFL)
        if flags >= 0 { _ = fcntl(0, F_SETFL, flags | O_NONBLOCK) }
    }
}
