import Foundation

/// A process-wide budget for the pixels of still pictures being decoded at once.
///
/// Each picture is held to `DecoderOptions.maxPictureBytes` by its header, but several are decoded at once (two
/// per photo set, more with `--jobs`, and the uploads `moodline serve` checks). A reader of a still picture
/// reserves its declared size here before FFmpeg opens it and gives it back when it is released, so pictures in
/// flight never add up to more than `capacityBytes`; a reader that does not fit waits for others to finish.
public final class PictureMemoryBudget: @unchecked Sendable {
    // Safe to share: `available` is read and written only with `condition` locked.

    /// The budget every `MediaReader` of a still picture draws from.
    public static let shared = PictureMemoryBudget(capacityBytes: 1 << 30)

    /// The most bytes of pictures in flight at once.
    public let capacityBytes: Int
    private var available: Int
    private let condition = NSCondition()

    public init(capacityBytes: Int) {
        self.capacityBytes = capacityBytes
        available = capacityBytes
    }

    /// Takes `bytes` (at most the whole budget), waiting until they are free; returns what was taken.
    public func reserve(_ bytes: Int) -> Int {
        let taken = min(max(bytes, 0), capacityBytes)
        condition.lock()
        defer { condition.unlock() }
        while available < taken { condition.wait() }
        available -= taken
        return taken
    }

    /// Takes `bytes` if they are free now; false, taking nothing, when they are not (a server answers "busy"
    /// rather than making a request wait).
    public func tryReserve(_ bytes: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard bytes >= 0, bytes <= available else { return false }
        available -= bytes
        return true
    }

    /// Gives back what `reserve` or `tryReserve` took.
    public func release(_ bytes: Int) {
        guard bytes > 0 else { return }
        condition.lock()
        available += bytes
        condition.broadcast()
        condition.unlock()
    }

    /// Bytes not reserved now.
    public var availableBytes: Int {
        condition.lock()
        defer { condition.unlock() }
        return available
    }
}
