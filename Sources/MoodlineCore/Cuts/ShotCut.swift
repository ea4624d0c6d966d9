/// A shot cut found between two sampled frames, as `run.json` lists it (`shot_cuts`): the first frame of the new
/// shot.
public struct ShotCut: Sendable, Codable, Equatable {
    /// The first sampled frame after the cut: its index in the video.
    public let frame: Int
    /// That frame's presentation time in seconds.
    public let timeSeconds: Double
    /// The difference that made it a cut (`FrameSignature.difference`), to the thousandth.
    public let difference: Double

    enum CodingKeys: String, CodingKey {
        case frame, timeSeconds = "time_s", difference
    }

    /// A cut before `frame`, at `timeSeconds`, found by `difference` (kept to the thousandth, as written).
    public init(frame: Int, timeSeconds: Double, difference: Double) {
        self.frame = frame
        self.timeSeconds = timeSeconds
        self.difference = (difference * 1000).rounded() / 1000
    }
}
