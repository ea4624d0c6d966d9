/// Which decoded frames go on to detection.
public enum SamplingMode: Sendable, Equatable, Hashable {
    /// Every decoded frame.
    case everyFrame
    /// The first frame at or after each tick of a clock running at this many frames per second.
    case rate(framesPerSecond: Double)
    /// Frames 0, N, 2N, ... in presentation order.
    case everyNth(Int)
    /// Key frames only (the decoder skips the rest).
    case keyFrames

    /// Whether the decoder can skip everything but key frames.
    public var needsKeyFramesOnly: Bool { self == .keyFrames }
}
