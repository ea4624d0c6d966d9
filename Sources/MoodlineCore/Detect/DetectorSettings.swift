/// Settings for face detection.
public struct DetectorSettings: StageSettings {
    public var model: DetectorModel
    /// Faces scoring below this are dropped (MediaPipe uses 0.5 for short range, 0.6 for full range).
    public var minimumScore: Double
    /// Overlap above which candidates are merged.
    public var nmsIoUThreshold: Double
    /// Faces whose box is smaller than this on its longer side, in source pixels, are dropped
    /// (`DetectedFace.isAtLeast`, applied by `FrameAnalyzer` and `FaceFollower`, which know the analysed frame's
    /// scale; the detectors themselves see only their own pixels).
    public var minimumFaceSizePixels: Double
    /// How a video's frames are searched: every sampled frame, or searched now and then and followed between.
    public var scheme: DetectionScheme
    /// With `follow`: the longest time between two searches of the whole frame, so new faces are found.
    public var searchIntervalSeconds: Double
    /// With `follow`: the side of the square a known face is looked for in, in face sizes (2: the face fills half).
    public var followMargin: Double

    public init(
        model: DetectorModel = .auto, minimumScore: Double = 0.5, nmsIoUThreshold: Double = 0.3,
        minimumFaceSizePixels: Double = 0, scheme: DetectionScheme = .everyFrame, searchIntervalSeconds: Double = 1,
        followMargin: Double = 2
    ) {
        self.model = model
        self.minimumScore = minimumScore
        self.nmsIoUThreshold = nmsIoUThreshold
        self.minimumFaceSizePixels = minimumFaceSizePixels
        self.scheme = scheme
        self.searchIntervalSeconds = searchIntervalSeconds
        self.followMargin = followMargin
    }

    /// Whether a video's known faces are followed between searches: asked for, and the detector searches cheaply
    /// and finds faces (`FaceDetectorEntry.allowsFollowing`).
    public var followsFaces: Bool { scheme == .follow && model.entry.allowsFollowing }

    public static let section = "detector"

    public static let keys: [SettingKey<DetectorSettings>] = [
        .choice("model", \.model, flag: .init("detector", help: "Face detector: \(DetectorModel.choicesHelp).")),
        .number(
            "min_score", \.minimumScore, in: 0...1,
            flag: .init("min-score", help: "Drop faces whose detection score is below this (0-1).")),
        .number("nms_iou", \.nmsIoUThreshold, in: 0...1),
        .number(
            "min_face_px", \.minimumFaceSizePixels, in: 0...100_000,
            flag: .init("min-face-size", help: "Drop faces smaller than this many pixels on their longer side.")),
        .choice(
            "scheme", \.scheme,
            flag: .init(
                "detection",
                help:
                    "How video frames are searched for faces: every_frame (the detector on each sampled frame) or follow (the whole frame searched at the start, every --search-every seconds, at cuts and when a face is lost; known faces found again near where they were in between, much cheaper)."
            )),
        .number(
            "search_every_s", \.searchIntervalSeconds, in: 0...3600,
            flag: .init(
                "search-every", help: "With --detection follow: search the whole frame at least this often (seconds).")),
        .number("follow_margin", \.followMargin, in: 1.2...6),
    ]
}
