/// When a decoded frame falls, known before its pixels are converted, so sampling can skip the conversion.
public struct FrameTiming: Sendable, Equatable {
    /// Position of the frame in presentation order, counting from 0.
    public let index: Int
    /// Presentation time in seconds from the start of the stream, from `pts × time_base`.
    public let timeSeconds: Double
    /// Whether the frame is a key frame.
    public let isKeyFrame: Bool

    public init(index: Int, timeSeconds: Double, isKeyFrame: Bool) {
        self.index = index
        self.timeSeconds = timeSeconds
        self.isKeyFrame = isKeyFrame
    }
}

/// A decoded, upright frame with its timing, owned by Swift and safe to send between queues.
public struct DecodedFrame: Sendable {
    public let timing: FrameTiming
    /// The picture, possibly scaled down (`DecoderOptions.maximumSide`).
    public let pixels: PixelBuffer
    /// Source pixels per delivered pixel: 1 at full size, 2 when scaled to half.
    public let scaleToSource: Double

    public init(timing: FrameTiming, pixels: PixelBuffer, scaleToSource: Double = 1) {
        self.timing = timing
        self.pixels = pixels
        self.scaleToSource = scaleToSource
    }

    public var index: Int { timing.index }
    public var timeSeconds: Double { timing.timeSeconds }
}
