/// Which outputs an analysis writes.
/// A pipeline: every stage's settings, as read from `Pipelines/NAME.json` and overridden by command-line flags.
public struct PipelineDefinition: Sendable, Equatable {
    public var name: String
    public var description: String
    public var sampling: SamplingMode
    /// Frames are analysed with their longer side at most this many pixels (0: full size). Results are always
    /// in source pixels.
    public var maximumSidePixels: Int
    public var detector: DetectorSettings
    public var crop: CropGeometry
    public var tracking: TrackSettings
    public var smoothing: SmoothingSettings
    public var formats: [OutputFormat]
    /// Frames analysed at once (detection, alignment, classification) for one input.
    public var concurrency: Int
    /// Decoded frames waiting for analysis, at most.
    public var bufferFrames: Int

    public init(name: String, description: String = "", sampling: SamplingMode, maximumSidePixels: Int = 1280,
                detector: DetectorSettings = DetectorSettings(),
                crop: CropGeometry = .standard, tracking: TrackSettings = TrackSettings(),
                smoothing: SmoothingSettings = SmoothingSettings(), formats: [OutputFormat] = OutputFormat.all,
                concurrency: Int = 2, bufferFrames: Int = 8) {
        self.name = name
        self.description = description
        self.sampling = sampling
        self.maximumSidePixels = maximumSidePixels
        self.detector = detector
        self.crop = crop
        self.tracking = tracking
        self.smoothing = smoothing
        self.formats = formats
        self.concurrency = concurrency
        self.bufferFrames = bufferFrames
    }

    /// Checks every value's range. Every range is closed and finite, so `inf` and `nan` are refused here rather
    /// than reaching the analysis (or `run.json`, which cannot hold them).
    ///
    /// - Throws: `PipelineError` naming the key.
    public func validate(source: String) throws {
        func check(_ ok: Bool, _ key: String, _ rule: String, _ value: Any) throws {
            if !ok { throw PipelineError(source: source, key: key, message: "must be \(rule) (got \(value))") }
        }
        switch sampling {
        case .rate(let fps): try check(fps > 0 && fps <= 1000, "sampling.fps", "between 0 and 1000", fps)
        case .everyNth(let n): try check(n >= 1, "sampling.every_nth", "at least 1", n)
        default: break
        }
        try check(maximumSidePixels == 0 || (192...65_536).contains(maximumSidePixels), "decode.max_side", "0 (full size) or between 192 and 65536",
                  maximumSidePixels)
        try check((0...1).contains(detector.minimumScore), "detector.min_score", "between 0 and 1", detector.minimumScore)
        try check((0...1).contains(detector.nmsIoUThreshold), "detector.nms_iou", "between 0 and 1", detector.nmsIoUThreshold)
        try check((0...100_000).contains(detector.minimumFaceSizePixels), "detector.min_face_px", "between 0 and 100000", detector.minimumFaceSizePixels)
        try check(crop.sizePixels == 64, "crop.size", "64 (the classifier's input)", crop.sizePixels)
        try check(crop.eyeDistance > 0.05 && crop.eyeDistance < 0.95, "crop.eye_distance", "between 0.05 and 0.95", crop.eyeDistance)
        try check(crop.eyeLineY > 0.05 && crop.eyeLineY < 0.95, "crop.eye_y", "between 0.05 and 0.95", crop.eyeLineY)
        try check((0...1).contains(tracking.minimumOverlap), "tracking.min_iou", "between 0 and 1", tracking.minimumOverlap)
        try check((0...86_400).contains(tracking.maximumMissingSeconds), "tracking.max_missing_s", "between 0 and 86400", tracking.maximumMissingSeconds)
        try check((0...3_600).contains(smoothing.windowSeconds), "smoothing.window_s", "between 0 and 3600", smoothing.windowSeconds)
        try check(!formats.isEmpty, "outputs.formats", "a non-empty list", formats)
        try check((1...64).contains(concurrency), "concurrency.width", "between 1 and 64", concurrency)
        try check((1...1024).contains(bufferFrames), "concurrency.buffer_frames", "between 1 and 1024", bufferFrames)
    }
}

/// A pipeline file or override that cannot be used. Names the file and the key.
public struct PipelineError: Error, Equatable, CustomStringConvertible {
    public let source: String
    public let key: String?
    public let message: String

    public init(source: String, key: String?, message: String) {
        self.source = source
        self.key = key
        self.message = message
    }

    public var description: String {
        key.map { "\(source): '\($0)' \(message)" } ?? "\(source): \(message)"
    }
}
