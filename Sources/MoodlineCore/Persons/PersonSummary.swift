/// Everything `persons.json` says about one person: their tracks taken together.
public struct PersonSummary: Sendable, Equatable {
    /// The person's ID, from 1 in order of first appearance.
    public let id: Int
    /// Their tracks' IDs, in time order.
    public let tracks: [Int]
    public let firstSeconds: Double
    public let lastSeconds: Double
    /// Seconds on screen, summed over their tracks (a track seen in one frame counts none: see `TrackSummary`).
    public let screenSeconds: Double
    /// Sampled frames that show them (uncertain readings included): their share of the video is counted in these, so
    /// a person cut into many short tracks (a montage) still counts for every frame they are in.
    public let framesShown: Int
    /// Mean probabilities over their tracks, each weighted by its screen time.
    public let meanProbabilities: EmotionScores
    /// The emotion with the highest mean probability.
    public var dominantEmotion: Emotion { meanProbabilities.label }
    /// Share of their screen time on which each emotion led, in `Emotion.allCases` order.
    public let timeShare: [Double]
    /// The mean of their face boxes, weighted by screen time, in source pixels.
    public let meanBox: Box
    /// The face that best shows them: a clear face from their longest track (nil when persons are off).
    public let representative: FaceSighting?

    /// The person made of `tracks` (at least one), numbered `id`, shown in `framesShown` sampled frames.
    init(id: Int, tracks: [TrackSummary], framesShown: Int, representative: FaceSighting?) {
        precondition(!tracks.isEmpty, "a person has at least one track")
        self.id = id
        self.tracks = tracks.map(\.id)
        self.framesShown = framesShown
        self.representative = representative
        firstSeconds = tracks.map(\.firstSeconds).min()!
        lastSeconds = tracks.map(\.lastSeconds).max()!
        screenSeconds = tracks.reduce(0) { $0 + $1.screenSeconds }
        // Weighted by screen time; a person seen in single frames only (no screen time) weighs frames alike.
        let weights = screenSeconds > 0 ? tracks.map(\.screenSeconds) : tracks.map { _ in 1.0 }
        let total = weights.reduce(0, +)
        var probabilities = [Double](repeating: 0, count: Emotion.allCases.count)
        var share = probabilities
        var box = (x: 0.0, y: 0.0, w: 0.0, h: 0.0)
        for (track, weight) in zip(tracks, weights) {
            let w = weight / total
            for k in probabilities.indices {
                probabilities[k] += w * Double(track.meanProbabilities.probabilities[k])
                share[k] += w * track.timeShare[k]
            }
            box.x += w * track.meanBox.x
            box.y += w * track.meanBox.y
            box.w += w * track.meanBox.width
            box.h += w * track.meanBox.height
        }
        meanProbabilities = EmotionScores(probabilities: probabilities.map(Float.init))
        timeShare = share
        meanBox = Box(x: box.x, y: box.y, width: box.w, height: box.h)
    }

    /// Their share of the video: of `frames` sampled frames (with a picture), those that show them; 0 when none.
    public func share(ofFrames frames: Int) -> Double {
        frames > 0 ? min(1, Double(framesShown) / Double(frames)) : 0
    }
}
