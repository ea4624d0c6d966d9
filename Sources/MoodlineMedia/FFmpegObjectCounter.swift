import Synchronization

/// Counts live FFmpeg wrapper objects, so tests can prove that every allocation was freed.
public enum FFmpegObjectCounter {
    private static let count = Atomic<Int>(0)

    /// The number of FFmpeg wrappers (format, codec, packet, frame, scaler) alive right now.
    public static var live: Int { count.load(ordering: .relaxed) }

    static func allocated() { count.add(1, ordering: .relaxed) }
    static func freed() { count.subtract(1, ordering: .relaxed) }
}
