import MoodlineMedia

/// A frame chosen for analysis, with its place in the input. In a photo set every photo yields one, and a photo
/// that could not be read yields one with no pixels and its problems, so the ordered end of the pipeline sees
/// every file in order (for checkpoints and per-file reports).
public struct SampledFrame: Sendable {
    /// Where the frame sits in the input; travels unchanged to the sinks.
    public let stamp: FrameStamp
    /// The picture to analyse, possibly scaled down from the source; nil for a photo that could not be read.
    public let pixels: PixelBuffer?
    /// Source pixels per analysed pixel (1 at full size).
    public let scaleToSource: Double
    /// Frames the decoder produced for this item (a photo's decode count).
    public let framesDecoded: Int
    /// What went wrong reading this photo.
    public let problems: [InputProblem]
    /// The faces, when a stage before the analysis found them (`FollowStage`); nil: the analysis detects them.
    public var detection: FrameDetection?

    public init(
        stamp: FrameStamp, pixels: PixelBuffer?, scaleToSource: Double, framesDecoded: Int = 1,
        problems: [InputProblem] = []
    ) {
        self.stamp = stamp
        self.pixels = pixels
        self.scaleToSource = scaleToSource
        self.framesDecoded = framesDecoded
        self.problems = problems
    }
}

/// One face's results.
public struct AnalysedFace: Sendable {
    public let detection: DetectedFace
    /// Maps the classifier's crop back to source pixels.
    public let cropToSource: AffineTransform
    public let scores: EmotionScores
    /// The quality gate's verdict: whether the reading is uncertain, and why.
    public let quality: FaceQuality
    /// The aligned grey crop the classifier read (the report's thumbnails show it); nil where not kept.
    public let crop: PixelBuffer?
    /// The face embedder's chip, cut while the frame's pixels exist so the ordered stages can check who the face is
    /// without them; nil when persons are off.
    public let chip: PixelBuffer?
    /// The face's embedding, where the analysis made it already (a photo's faces, every one of which is embedded:
    /// done by the parallel workers rather than the ordered stages); its chip is then not kept.
    public let embedding: [Float]?

    public init(
        detection: DetectedFace, cropToSource: AffineTransform, scores: EmotionScores, quality: FaceQuality,
        crop: PixelBuffer? = nil, chip: PixelBuffer? = nil, embedding: [Float]? = nil
    ) {
        self.embedding = embedding
        self.detection = detection
        self.cropToSource = cropToSource
        self.scores = scores
        self.quality = quality
        self.crop = crop
        self.chip = chip
    }
}

/// Seconds spent in each stage, summed over frames.
public struct StageTimes: Sendable, Equatable {
    public var decode = 0.0, detect = 0.0, register = 0.0, classify = 0.0, track = 0.0, write = 0.0
    /// The face embedder's time (checking who each track is), apart from `track`.
    public var embed = 0.0

    public init() {}

    static func + (a: StageTimes, b: StageTimes) -> StageTimes {
        var sum = StageTimes()
        sum.decode = a.decode + b.decode
        sum.detect = a.detect + b.detect
        sum.register = a.register + b.register
        sum.classify = a.classify + b.classify
        sum.track = a.track + b.track
        sum.write = a.write + b.write
        sum.embed = a.embed + b.embed
        return sum
    }
}

/// A sampled frame's faces and what was found in them (the pixels are gone by now).
public struct AnalysedFrame: Sendable {
    public let stamp: FrameStamp
    public let faces: [AnalysedFace]
    public let times: StageTimes
    /// Whether there was a picture to analyse (false for a photo that could not be read: it gets no row).
    public let hasPicture: Bool
    /// Frames the decoder produced for this item.
    public let framesDecoded: Int
    /// What went wrong reading this photo.
    public let problems: [InputProblem]
    /// Why the frame could not be analysed (a model gave non-finite numbers); nil when it was.
    public let failure: String?
    /// A small colour copy of a photo's picture, for the photo report (nil for video frames).
    public let preview: PixelBuffer?
    /// The picture's summary for finding shot cuts; nil when there was no picture.
    public let signature: FrameSignature?
    /// How the faces were found when the follow stage found them (nil: detected in the analysis).
    public var detectionStep: FaceFollower.Step?

    /// A frame as a run recorded it (`ReadingsRecord`): no times, picture, preview or signature, which only the
    /// analysis used.
    init(stamp: FrameStamp, faces: [AnalysedFace], hasPicture: Bool, framesDecoded: Int, problems: [InputProblem]) {
        self.stamp = stamp
        self.faces = faces
        self.hasPicture = hasPicture
        self.framesDecoded = framesDecoded
        self.problems = problems
        times = StageTimes()
        failure = nil
        preview = nil
        signature = nil
    }

    init(
        _ frame: SampledFrame, faces: [AnalysedFace], times: StageTimes, failure: String? = nil,
        preview: PixelBuffer? = nil, signature: FrameSignature? = nil
    ) {
        stamp = frame.stamp
        hasPicture = frame.pixels != nil
        framesDecoded = frame.framesDecoded
        problems = frame.problems
        self.faces = faces
        self.times = times
        self.failure = failure
        self.preview = preview
        self.signature = signature
        detectionStep = frame.detection?.step
    }

    /// A frame with a picture, built directly (for tests of the ordered stages and sinks).
    public init(
        stamp: FrameStamp, faces: [AnalysedFace], times: StageTimes = StageTimes(), failure: String? = nil,
        preview: PixelBuffer? = nil, signature: FrameSignature? = nil
    ) {
        self.stamp = stamp
        hasPicture = true
        framesDecoded = 1
        problems = []
        self.faces = faces
        self.times = times
        self.failure = failure
        self.preview = preview
        self.signature = signature
    }
}
