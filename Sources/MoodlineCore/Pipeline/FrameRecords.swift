import MoodlineMedia

/// A frame chosen for analysis, with its place in the input.
public struct SampledFrame: Sendable {
    /// Position among the sampled frames of this input, from 0: the order results are put back in.
    public let sequence: Int
    /// The frame's index in the video (0 for a photo).
    public let index: Int
    public let timeSeconds: Double
    /// For photo collections: the photo's path relative to its folder.
    public let file: String?
    /// The picture to analyse, possibly scaled down from the source.
    public let pixels: PixelBuffer
    /// Source pixels per analysed pixel (1 at full size).
    public let scaleToSource: Double
}

/// One face's results.
public struct AnalysedFace: Sendable {
    public let detection: DetectedFace
    /// Maps the classifier's crop back to source pixels.
    public let cropToSource: AffineTransform
    public let scores: EmotionScores
}

/// Seconds spent in each stage, summed over frames.
public struct StageTimes: Sendable, Equatable {
    public var decode = 0.0, detect = 0.0, register = 0.0, classify = 0.0, track = 0.0, write = 0.0

    public init() {}

    static func + (a: StageTimes, b: StageTimes) -> StageTimes {
        var sum = StageTimes()
        sum.decode = a.decode + b.decode
        sum.detect = a.detect + b.detect
        sum.register = a.register + b.register
        sum.classify = a.classify + b.classify
        sum.track = a.track + b.track
        sum.write = a.write + b.write
        return sum
    }
}

/// A sampled frame's faces and what was found in them (the pixels are gone by now).
public struct AnalysedFrame: Sendable {
    public let sequence: Int
    public let index: Int
    public let timeSeconds: Double
    public let file: String?
    public let faces: [AnalysedFace]
    public let times: StageTimes
}
