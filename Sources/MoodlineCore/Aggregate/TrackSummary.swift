/// One point of a track's smoothed timeline.
public struct TimelinePoint: Sendable, Equatable {
    public let frameIndex: Int
    public let timeSeconds: Double
    public let scores: EmotionScores
}

/// Everything `tracks.json` says about one track.
public struct TrackSummary: Sendable, Equatable {
    public let id: Int
    public let firstSeconds: Double
    public let lastSeconds: Double
    public let framesSeen: Int
    /// Mean of the per-frame (unsmoothed) probabilities.
    public let meanProbabilities: EmotionScores
    /// The emotion with the highest mean probability.
    public var dominantEmotion: Emotion { meanProbabilities.label }
    /// Share of the track's time on which each emotion led the smoothed timeline, in `Emotion.allCases` order.
    public let timeShare: [Double]
    public let timeline: [TimelinePoint]
}
