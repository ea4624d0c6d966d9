/// A sampled frame's results as the writers see them: faces with their track IDs (nil when tracking is off).
public struct TrackedFrame: Sendable {
    public let frame: AnalysedFrame
    /// One per face; nil when tracking is off.
    public let trackIDs: [Int?]
    /// For a live input: the tracks that ended by this frame (unseen for the tracker's missing time), summarised.
    public let endedTracks: [TrackSummary]
    /// One per face: the key its person is known by at the end (`FinishEvent.person(ofTrack:)`): its track ID in a
    /// video, its number in the set in a photo set with persons on; nil where it gets no person.
    public let personKeys: [Int?]

    public init(frame: AnalysedFrame, trackIDs: [Int?], endedTracks: [TrackSummary] = [], personKeys: [Int?]? = nil) {
        precondition(trackIDs.count == frame.faces.count, "one track ID (or nil) per face")
        precondition(personKeys.map { $0.count == frame.faces.count } ?? true, "one person key (or nil) per face")
        self.frame = frame
        self.trackIDs = trackIDs
        self.endedTracks = endedTracks
        self.personKeys = personKeys ?? trackIDs
    }
}
