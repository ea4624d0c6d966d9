/// Settings for face detection.
public struct DetectorSettings: StageSettings {
    public var model: DetectorModel
    /// Faces scoring below this are dropped (MediaPipe uses 0.5 for short range, 0.6 for full range).
    public var minimumScore: Double
    /// Overlap above which candidates are merged.
    public var nmsIoUThreshold: Double
    /// Faces whose box is smaller than this on its longer side, in source pixels, are dropped (by `FrameAnalyzer`,
    /// the one place the size filter lives, since only it knows the analysed frame's scale).
    public var minimumFaceSizePixels: Double

    public init(
        model: DetectorModel = .auto, minimumScore: Double = 0.5, nmsIoUThreshold: Double = 0.3,
        minimumFaceSizePixels: Double = 0
    ) {
        self.model = model
        self.minimumScore = minimumScore
        self.nmsIoUThreshold = nmsIoUThreshold
        self.minimumFaceSizePixels = minimumFaceSizePixels
    }

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
    ]
}
