/// Settings for face detection.
public struct DetectorSettings: StageSettings, Codable {
    public var model: DetectorModel
    /// Faces scoring below this are dropped (MediaPipe uses 0.5 for short range, 0.6 for full range).
    public var minimumScore: Double
    /// Overlap above which candidates are merged.
    public var nmsIoUThreshold: Double
    /// Faces whose box is smaller than this on its longer side, in source pixels, are dropped (by `FrameAnalyzer`,
    /// the one place the size filter lives, since only it knows the analysed frame's scale).
    public var minimumFaceSizePixels: Double

    public init(model: DetectorModel = .auto, minimumScore: Double = 0.5, nmsIoUThreshold: Double = 0.3,
                minimumFaceSizePixels: Double = 0) {
        self.model = model
        self.minimumScore = minimumScore
        self.nmsIoUThreshold = nmsIoUThreshold
        self.minimumFaceSizePixels = minimumFaceSizePixels
    }

    public static let section = "detector"

    public mutating func read(_ section: PipelineSection) throws {
        model = try section.choice("model") ?? model
        minimumScore = try section.number("min_score") ?? minimumScore
        nmsIoUThreshold = try section.number("nms_iou") ?? nmsIoUThreshold
        minimumFaceSizePixels = try section.number("min_face_px") ?? minimumFaceSizePixels
    }

    public var json: [String: Any] {
        ["model": model.rawValue, "min_score": minimumScore, "nms_iou": nmsIoUThreshold, "min_face_px": minimumFaceSizePixels]
    }

    public func validate(_ rules: SettingRules) throws {
        try rules.check((0...1).contains(minimumScore), "min_score", "between 0 and 1", minimumScore)
        try rules.check((0...1).contains(nmsIoUThreshold), "nms_iou", "between 0 and 1", nmsIoUThreshold)
        try rules.check((0...100_000).contains(minimumFaceSizePixels), "min_face_px", "between 0 and 100000", minimumFaceSizePixels)
    }

    public static let flags: [SettingFlag<DetectorSettings>] = [
        SettingFlag("detector", key: "model",
                    help: "Face detector: \(DetectorModel.choicesHelp).") {
            $0.model = try SettingFlag<DetectorSettings>.choice($1, flag: "detector")
        },
        SettingFlag("min-score", key: "min_score", help: "Drop faces whose detection score is below this (0-1).") {
            $0.minimumScore = try SettingFlag<DetectorSettings>.number($1, flag: "min-score")
        },
        SettingFlag("min-face-size", key: "min_face_px", help: "Drop faces smaller than this many pixels on their longer side.") {
            $0.minimumFaceSizePixels = try SettingFlag<DetectorSettings>.number($1, flag: "min-face-size")
        },
    ]
}
