/// Where the eyes sit in the classifier's crop, as fractions of the crop side.
public struct CropGeometry: Sendable, Equatable, Codable {
    /// Crop side in pixels (the classifier's input).
    public var sizePixels: Int
    /// Distance between the eye centres, as a fraction of the side.
    public var eyeDistance: Double
    /// Height of the eye line from the top, as a fraction of the side. The eyes are centred left to right.
    public var eyeLineY: Double

    /// The defaults, measured on FER2013 (see Pipelines/README.md): where BlazeFace finds the eyes in the data
    /// set's own crops, so aligned faces look like the faces the classifier was trained on.
    public static let standard = CropGeometry(sizePixels: 64, eyeDistance: 0.36, eyeLineY: 0.395)

    public init(sizePixels: Int, eyeDistance: Double, eyeLineY: Double) {
        self.sizePixels = sizePixels
        self.eyeDistance = eyeDistance
        self.eyeLineY = eyeLineY
    }
}
