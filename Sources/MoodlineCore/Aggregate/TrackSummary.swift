/// One point of a track's smoothed timeline.
public struct TimelinePoint: Sendable, Equatable {
    public let frameIndex: Int
    public let timeSeconds: Double
    public let scores: EmotionScores

    public init(frameIndex: Int, timeSeconds: Double, scores: EmotionScores) {
        self.frameIndex = frameIndex
        self.timeSeconds = timeSeconds
        self.scores = scores
    }
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
    /// Seconds on screen: each reading counts for half the gap to each neighbour, gaps capped at the tracker's
    /// missing time (0 for a track seen once).
    public let screenSeconds: Double
    /// The mean of the face's boxes, in source pixels.
    public let meanBox: Box
    public let timeline: [TimelinePoint]

    public init(
        id: Int, firstSeconds: Double, lastSeconds: Double, framesSeen: Int, meanProbabilities: EmotionScores,
        timeShare: [Double], screenSeconds: Double, meanBox: Box, timeline: [TimelinePoint]
    ) {
        self.id = id
        self.firstSeconds = firstSeconds
        self.lastSeconds = lastSeconds
        self.framesSeen = framesSeen
        self.meanProbabilities = meanProbabilities
        self.timeShare = timeShare
        self.screenSeconds = screenSeconds
        self.meanBox = meanBox
        self.timeline = timeline
    }

    /// The mean box's area as a share of the picture's (0 when the picture's size is unknown).
    public func relativeSize(picture: PictureSize?) -> Double {
        guard let picture, picture.width > 0, picture.height > 0 else { return 0 }
        return meanBox.area / (Double(picture.width) * Double(picture.height))
    }
}
