/// A sampled frame's results as the writers see them: faces with their track IDs (nil when tracking is off).
public struct TrackedFrame: Sendable {
    public let frame: AnalysedFrame
    /// One per face; nil when tracking is off.
    public let trackIDs: [Int?]
    /// For a live input: the tracks that ended by this frame (unseen for the tracker's missing time), summarised.
    public let endedTracks: [TrackSummary]

    public init(frame: AnalysedFrame, trackIDs: [Int?], endedTracks: [TrackSummary] = []) {
        precondition(trackIDs.count == frame.faces.count, "one track ID (or nil) per face")
        self.frame = frame
        self.trackIDs = trackIDs
        self.endedTracks = endedTracks
    }
}
