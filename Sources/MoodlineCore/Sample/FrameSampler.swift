import MoodlineMedia

/// Decides, from timing alone, which decoded frames are sampled. One sampler serves one pass over one input.
///
/// Rate sampling works on timestamps, not frame counts, so variable-frame-rate video is sampled evenly: each tick
/// `k / fps` takes the first frame whose time is at or after it, and a frame that covers several ticks (a gap in
/// the stream) is taken once.
public struct FrameSampler: Sendable {
    public let mode: SamplingMode
    /// The next tick (in units of 1/fps seconds from time 0) still waiting for a frame.
    private var nextTick: Int64 = 0

    /// Tolerance in ticks, so a frame stamped 0.19999999 s counts as the 0.2 s tick.
    private static let tickTolerance = 1e-6

    /// A sampler for a pass that starts at `startSeconds` (`--start`): rate sampling then takes the same frames
    /// within the part as a pass over the whole input would, its ticks still counted from time 0.
    public init(mode: SamplingMode, startSeconds: Double? = nil) {
        switch mode {
        case .rate(let fps):
            precondition(fps > 0 && fps.isFinite, "sampling rate must be positive, got \(fps)")
            if let startSeconds, startSeconds > 0 {
                nextTick = Int64(Int(saturating: (startSeconds * fps - Self.tickTolerance).rounded(.up)))
            }
        case .everyNth(let n): precondition(n >= 1, "every-Nth sampling needs N >= 1, got \(n)")
        default: break
        }
        self.mode = mode
    }

    /// Whether `accepts` could take the frame of a packet with this timing, answered before it is decoded; true
    /// when in doubt. The decoder leaves out frames for which this is false (when no other frame refers to them),
    /// so it must never be false for a frame `accepts` would take.
    ///
    /// A rate sampler takes a frame exactly when a tick falls after the frame before it and at or before the frame
    /// itself; an earlier `previousTimeSeconds` (all that may be known) only widens that window.
    public func mayAccept(_ packet: PacketTiming) -> Bool {
        switch mode {
        case .everyFrame, .keyFrames:
            return true
        case .everyNth(let n):
            guard let index = packet.index else { return true }
            return index % n == 0
        case .rate(let fps):
            guard let previous = packet.previousTimeSeconds else { return true }
            let tick = (packet.timeSeconds * fps + Self.tickTolerance).rounded(.down)
            let previousTick = (previous * fps + Self.tickTolerance).rounded(.down)
            // Not finite (a crafted timestamp): decode it.
            guard tick.isFinite, previousTick.isFinite else { return true }
            return tick > previousTick
        }
    }

    /// Whether the frame with this timing is sampled. Call once per decoded frame, in presentation order.
    public mutating func accepts(_ timing: FrameTiming) -> Bool {
        switch mode {
        case .everyFrame:
            return true
        case .keyFrames:
            return timing.isKeyFrame
        case .everyNth(let n):
            return timing.index % n == 0
        case .rate(let fps):
            let position = timing.timeSeconds * fps
            guard position + Self.tickTolerance >= Double(nextTick) else { return false }
            // Saturating: a crafted file's timestamps can put the tick past Int64's range.
            nextTick = Int64(Int(saturating: (position + Self.tickTolerance).rounded(.down)).saturatingAdding(1))
            return true
        }
    }
}
