/// Where the eyes sit in the classifier's crop, as fractions of the crop side.
public struct CropGeometry: StageSettings, Codable {
    /// Crop side in pixels (the classifier's input).
    public var sizePixels: Int
    /// Distance between the eye centres, as a fraction of the side.
    public var eyeDistance: Double
    /// Height of the eye line from the top, as a fraction of the side. The eyes are centred left to right.
    public var eyeLineY: Double

    /// The defaults, measured on FER2013 (see Pipelines/README.md): where BlazeFace finds the eyes in the data
    /// set's own crops, so aligned faces look like the faces the classifier was trained on.
    public static let standard = CropGeometry(sizePixels: ClassifierModel.moodline.inputSize, eyeDistance: 0.36, eyeLineY: 0.395)

    public init(sizePixels: Int, eyeDistance: Double, eyeLineY: Double) {
        self.sizePixels = sizePixels
        self.eyeDistance = eyeDistance
        self.eyeLineY = eyeLineY
    }

    public static let section = "crop"

    public mutating func read(_ section: PipelineSection) throws {
        sizePixels = try section.integer("size") ?? sizePixels
        eyeDistance = try section.number("eye_distance") ?? eyeDistance
        eyeLineY = try section.number("eye_y") ?? eyeLineY
    }

    public var json: [String: Any] { ["size": sizePixels, "eye_distance": eyeDistance, "eye_y": eyeLineY] }

    public func validate(_ rules: SettingRules) throws {
        try rules.check((16...256).contains(sizePixels), "size", "between 16 and 256 (the classifier's input)", sizePixels)
        try rules.check(eyeDistance > 0.05 && eyeDistance < 0.95, "eye_distance", "between 0.05 and 0.95", eyeDistance)
        try rules.check(eyeLineY > 0.05 && eyeLineY < 0.95, "eye_y", "between 0.05 and 0.95", eyeLineY)
    }

    /// The crop is tuned to the classifier; it has no flags.
    public static let flags: [SettingFlag<CropGeometry>] = []
}
