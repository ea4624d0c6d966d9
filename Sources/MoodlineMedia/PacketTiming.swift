/// What is known of a video frame from its packet, before it is decoded: enough for sampling to say whether it
/// could want the picture, so that a frame nobody wants and nothing refers to need not be decoded.
public struct PacketTiming: Sendable, Equatable {
    /// Presentation time in seconds, on the same clock as `FrameTiming.timeSeconds`.
    public let timeSeconds: Double
    /// The time of the frame just before it in presentation order; nil when not known. It may be earlier than the
    /// true one (a frame between them not yet read), never later.
    public let previousTimeSeconds: Double?
    /// Position in presentation order, counting from 0; nil when not known (after a seek).
    public let index: Int?

    public init(timeSeconds: Double, previousTimeSeconds: Double?, index: Int?) {
        self.timeSeconds = timeSeconds
        self.previousTimeSeconds = previousTimeSeconds
        self.index = index
    }
}
