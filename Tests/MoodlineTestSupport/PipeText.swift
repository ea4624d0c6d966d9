import Foundation

/// What a pipe brings, read on another queue until its end, so that the process writing it never blocks on a full
/// pipe. `@unchecked Sendable`: every access to `data` holds `lock`.
final class PipeText: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let ended = DispatchSemaphore(value: 0)

    /// Starts reading `handle` on a global queue.
    func collect(from handle: FileHandle) {
        DispatchQueue.global().async { [self] in
            while case let chunk = handle.availableData, !chunk.isEmpty {
                lock.withLock { data.append(chunk) }
            }
            ended.signal()
        }
    }

    /// Waits until the pipe has ended (at most `seconds` when given); later calls return at once.
    func waitForEnd(seconds: Double? = nil) {
        let deadline: DispatchTime = seconds.map { .now() + $0 } ?? .distantFuture
        if ended.wait(timeout: deadline) == .success { ended.signal() }
    }

    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
