/// A stretch of a track's time on which one emotion led its smoothed timeline.
public struct Episode: Sendable, Equatable {
    public let trackID: Int
    public let emotion: Emotion
    /// When the emotion reached the enter threshold, in source seconds.
    public let onsetSeconds: Double
    /// When it fell below the exit threshold (or another emotion took over, or the track was lost).
    public let offsetSeconds: Double
    /// When its smoothed probability peaked, and the peak.
    public let peakSeconds: Double
    public let peakProbability: Double

    public var durationSeconds: Double { offsetSeconds - onsetSeconds }

    public init(
        trackID: Int, emotion: Emotion, onsetSeconds: Double, offsetSeconds: Double, peakSeconds: Double,
        peakProbability: Double
    ) {
        self.trackID = trackID
        self.emotion = emotion
        self.onsetSeconds = onsetSeconds
        self.offsetSeconds = offsetSeconds
        self.peakSeconds = peakSeconds
        self.peakProbability = peakProbability
    }
}
