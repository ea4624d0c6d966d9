/// Where the eyes sit in the classifier's crop, as fractions of the crop side.
public struct CropGeometry: StageSettings {
    /// Crop side in pixels (the classifier's input).
    public var sizePixels: Int
    /// Distance between the eye centres, as a fraction of the side.
    public var eyeDistance: Double
    /// Height of the eye line from the top, as a fraction of the side. The eyes are centred left to right.
    public var eyeLineY: Double

    /// The defaults, measured on FER2013 (see Pipelines/README.md): where BlazeFace finds the eyes in the data
    /// set's own crops, so aligned faces look like the faces the classifier was trained on.
    public static let standard = CropGeometry(
        sizePixels: ClassifierModel.moodline.inputSize, eyeDistance: 0.36, eyeLineY: 0.395)

    public init(sizePixels: Int, eyeDistance: Double, eyeLineY: Double) {
        self.sizePixels = sizePixels
        self.eyeDistance = eyeDistance
        self.eyeLineY = eyeLineY
    }

    public static let section = "crop"

    /// The crop is tuned to the classifier, so none of its keys has a flag.
    public static let keys: [SettingKey<CropGeometry>] = [
        .integer(
            "size", \.sizePixels, rule: "between 16 and 256 (the classifier's input)",
            valid: { (16...256).contains($0) }),
        .number("eye_distance", \.eyeDistance, rule: "between 0.05 and 0.95", valid: { $0 > 0.05 && $0 < 0.95 }),
        .number("eye_y", \.eyeLineY, rule: "between 0.05 and 0.95", valid: { $0 > 0.05 && $0 < 0.95 }),
    ]
}
