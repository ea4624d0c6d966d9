/// When a reading is marked `uncertain` (`quality` in a pipeline file): the face is too small, too blurred or too
/// turned to read well, or the classifier is not sure. Uncertain faces stay in the per-frame outputs, marked with
/// the reasons, and are left out of smoothing and track summaries unless `include_uncertain` is set.
public struct QualitySettings: StageSettings {
    /// Faces smaller than this on their longer side, in source pixels, are uncertain (too few pixels for the
    /// expression; the detector's `min_face_px` drops faces altogether).
    public var minimumFacePixels: Double
    /// Crops whose sharpness (the variance of the Laplacian over the face's centre, in grey levels²) is below
    /// this are uncertain: motion blur or a face upscaled from very few pixels.
    public var minimumSharpness: Double
    /// Faces turned further than this from the camera (yaw, degrees, estimated from the nose between the ears)
    /// are uncertain. 30.5 is the 50 the limit was fitted as on PublicTest, under the earlier yaw formula (asin of the
    /// nose's offset), on the new scale: atan(sin 50° / 1.3) = 30.51.
    public var maximumYawDegrees: Double
    /// Faces tilted further than this (roll, degrees, the eye line's angle) are uncertain. Alignment levels the
    /// eyes, but strongly tilted heads are rare in training data.
    public var maximumRollDegrees: Double
    /// Readings whose top probability (calibrated) is below this are uncertain.
    public var minimumConfidence: Double
    /// Readings whose probabilities are more spread than this (`EmotionScores.spread`, 0-1) are `ambiguous`.
    /// 1 turns the reason off.
    public var maximumSpread: Double
    /// Whether uncertain readings still count in smoothing and track summaries.
    public var includeUncertain: Bool

    public init(
        minimumFacePixels: Double = 20, minimumSharpness: Double = 120, maximumYawDegrees: Double = 30.5,
        maximumRollDegrees: Double = 35, minimumConfidence: Double = 0.5,
        maximumSpread: Double = Self.defaultMaximumSpread, includeUncertain: Bool = false
    ) {
        self.minimumFacePixels = minimumFacePixels
        self.minimumSharpness = minimumSharpness
        self.maximumYawDegrees = maximumYawDegrees
        self.maximumRollDegrees = maximumRollDegrees
        self.minimumConfidence = minimumConfidence
        self.maximumSpread = maximumSpread
        self.includeUncertain = includeUncertain
    }

    public static let section = "quality"

    public static let keys: [SettingKey<QualitySettings>] = [
        .number("min_face_px", \.minimumFacePixels, in: 0...100_000),
        .number("min_sharpness", \.minimumSharpness, in: 0...100_000),
        .number("max_yaw_deg", \.maximumYawDegrees, in: 0...90),
        .number("max_roll_deg", \.maximumRollDegrees, in: 0...180),
        .number(
            "min_confidence", \.minimumConfidence, in: 0...1,
            flag: .init("min-confidence", help: "Mark readings whose top probability is below this (0-1) uncertain.")),
        .number(
            "max_spread", \.maximumSpread, in: 0...1,
            flag: .init(
                "max-spread",
                help: "Mark readings whose probabilities are more spread than this (0-1, 1: never) ambiguous.")),
        .bool(
            "include_uncertain", \.includeUncertain,
            flag: .init("include-uncertain", help: "Count uncertain readings in smoothing and track summaries too.")),
    ]
}

extension QualitySettings {
    /// Off (1): the spread of the shipped classifier's probabilities, fitted to FER2013's single labels, hardly
    /// tells which faces people disagree on (on FER+'s PublicTest, at 0.6 it marks 36% of the readings and 15% of
    /// those are ones humans split on, against 11% at random). Set it for a classifier fitted to vote distributions.
    public static let defaultMaximumSpread = 1.0
}
