import MoodlineMedia

/// The crop `analyze` would classify for the main face of a picture: detected and aligned by the eyes with a
/// pipeline's detector and crop geometry, so a classifier trained or measured on these crops sees what it sees in
/// use. When no face is found, the whole picture is scaled into the crop instead (as `whole_image` does).
public struct MainFaceCropper: Sendable {
    /// What was cut from one picture.
    public struct Cut: Sendable {
        /// The grey crop, the geometry's size square.
        public let crop: PixelBuffer
        /// The face it shows; nil when none was found and the whole picture was used.
        public let face: DetectedFace?
        /// Maps crop pixels to the picture's.
        public let cropToSource: AffineTransform
    }

    public let detector: any FaceDetecting
    public let aligner: FaceAligner
    /// Faces smaller than this on their longer side, in the picture's pixels, are ignored.
    public let minimumFaceSizePixels: Double

    public init(detector: any FaceDetecting, aligner: FaceAligner, minimumFaceSizePixels: Double = 0) {
        self.detector = detector
        self.aligner = aligner
        self.minimumFaceSizePixels = minimumFaceSizePixels
    }

    /// The largest face's crop (a data set's picture shows its subject biggest), or the whole picture's.
    ///
    /// - Throws: `ModelOutputError` when the detector's numbers are not finite.
    public func cut(_ picture: PixelBuffer) throws -> Cut {
        let faces = try detector.detect(in: picture).filter { $0.isAtLeast(minimumFaceSizePixels) }
        let main = faces.max { ($0.box.width * $0.box.height, $0.score) < ($1.box.width * $1.box.height, $1.score) }
        let face = try main ?? WholeImageDetector().detect(in: picture).first
        guard let face else {
            let side = aligner.geometry.sizePixels
            return Cut(crop: PixelBuffer(width: side, height: side, layout: .grey), face: nil, cropToSource: .identity)
        }
        let aligned = aligner.align(face, in: picture)
        return Cut(crop: aligned.crop, face: main, cropToSource: aligned.cropToSource)
    }
}
