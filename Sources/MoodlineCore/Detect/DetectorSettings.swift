/// Settings for face detection.
public struct DetectorSettings: Sendable, Equatable, Codable {
    public var model: DetectorModel
    /// Faces scoring below this are dropped (MediaPipe uses 0.5 for short range, 0.6 for full range).
    public var minimumScore: Double
    /// Overlap above which candidates are merged.
    public var nmsIoUThreshold: Double
    /// Faces whose box is smaller than this on its longer side, in source pixels, are dropped (by `FrameAnalyzer`,
    /// the one place the size filter lives, since only it knows the analysed frame's scale).
    public var minimumFaceSizePixels: Double

    public init(model: DetectorModel = .fullRange, minimumScore: Double = 0.5, nmsIoUThreshold: Double = 0.3,
                minimumFaceSizePixels: Double = 0) {
        self.model = model
        self.minimumScore = minimumScore
        self.nmsIoUThreshold = nmsIoUThreshold
        self.minimumFaceSizePixels = minimumFaceSizePixels
    }
}
