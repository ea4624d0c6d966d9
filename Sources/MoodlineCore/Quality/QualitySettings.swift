/// When a reading is marked `uncertain` (`quality` in a pipeline file): the face is too small, too blurred or too
/// turned to read well, or the classifier is not sure. Uncertain faces stay in the per-frame outputs, marked with
/// the reasons, and are left out of smoothing and track summaries unless `include_uncertain` is set.
public struct QualitySettings: StageSettings, Codable {
    /// Faces smaller than this on their longer side, in source pixels, are uncertain (too few pixels for the
    /// expression; the detector's `min_face_px` drops faces altogether).
    public var minimumFacePixels: Double
    /// Crops whose sharpness (the variance of the Laplacian over the face's centre, in grey levels²) is below
    /// this are uncertain: motion blur or a face upscaled from very few pixels.
    public var minimumSharpness: Double
    /// Faces turned further than this from the camera (yaw, degrees, estimated from the nose between the ears)
    /// are uncertain.
    public var maximumYawDegrees: Double
    /// Faces tilted further than this (roll, degrees, the eye line's angle) are uncertain. Alignment levels the
    /// eyes, but strongly tilted heads are rare in training data.
    public var maximumRollDegrees: Double
    /// Readings whose top probability (calibrated) is below this are uncertain.
    public var minimumConfidence: Double
    /// Whether uncertain readings still count in smoothing and track summaries.
    public var includeUncertain: Bool

    public init(minimumFacePixels: Double = 32, minimumSharpness: Double = 120, maximumYawDegrees: Double = 50,
                maximumRollDegrees: Double = 35, minimumConfidence: Double = 0.35, includeUncertain: Bool = false) {
        self.minimumFacePixels = minimumFacePixels
        self.minimumSharpness = minimumSharpness
        self.maximumYawDegrees = maximumYawDegrees
        self.maximumRollDegrees = maximumRollDegrees
        self.minimumConfidence = minimumConfidence
        self.includeUncertain = includeUncertain
    }

    public static let section = "quality"

    public mutating func read(_ section: PipelineSection) throws {
        minimumFacePixels = try section.number("min_face_px") ?? minimumFacePixels
        minimumSharpness = try section.number("min_sharpness") ?? minimumSharpness
        maximumYawDegrees = try section.number("max_yaw_deg") ?? maximumYawDegrees
        maximumRollDegrees = try section.number("max_roll_deg") ?? maximumRollDegrees
        minimumConfidence = try section.number("min_confidence") ?? minimumConfidence
        includeUncertain = try section.bool("include_uncertain") ?? includeUncertain
    }

    public var json: [String: Any] {
        ["min_face_px": minimumFacePixels, "min_sharpness": minimumSharpness, "max_yaw_deg": maximumYawDegrees,
         "max_roll_deg": maximumRollDegrees, "min_confidence": minimumConfidence, "include_uncertain": includeUncertain]
    }

    public func validate(_ rules: SettingRules) throws {
        try rules.check((0...100_000).contains(minimumFacePixels), "min_face_px", "between 0 and 100000", minimumFacePixels)
        try rules.check((0...100_000).contains(minimumSharpness), "min_sharpness", "between 0 and 100000", minimumSharpness)
        try rules.check((0...90).contains(maximumYawDegrees), "max_yaw_deg", "between 0 and 90", maximumYawDegrees)
        try rules.check((0...180).contains(maximumRollDegrees), "max_roll_deg", "between 0 and 180", maximumRollDegrees)
        try rules.check((0...1).contains(minimumConfidence), "min_confidence", "between 0 and 1", minimumConfidence)
    }

    public static let flags: [SettingFlag<QualitySettings>] = [
        SettingFlag("min-confidence", key: "min_confidence", help: "Mark readings whose top probability is below this (0-1) uncertain.") {
            $0.minimumConfidence = try SettingFlag<QualitySettings>.number($1, flag: "min-confidence")
        },
        SettingFlag("include-uncertain", key: "include_uncertain",
                    help: "Count uncertain readings in smoothing and track summaries too.", isSwitch: true) {
            $0.includeUncertain = true
            _ = $1
        },
    ]
}
