/// A sampled frame's results as the writers see them: faces with their track IDs (nil when tracking is off).
public struct TrackedFrame: Sendable {
    public let frame: AnalysedFrame
    /// One per face; nil when tracking is off.
    public let trackIDs: [Int?]

    public init(frame: AnalysedFrame, trackIDs: [Int?]) {
        precondition(trackIDs.count == frame.faces.count, "one track ID (or nil) per face")
        self.frame = frame
        self.trackIDs = trackIDs
    }
}
