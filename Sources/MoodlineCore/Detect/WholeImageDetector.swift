import MoodlineMedia

/// Treats every picture as one face, for data sets that are already face crops (detectors miss many faces that
/// fill the picture edge to edge, and a crop needs no finding).
///
/// The face's box is the picture; both eyes are put at its centre, which tells `FaceAligner` that the eyes are
/// unknown, so it scales the whole picture into the crop (the longer side fitting) instead of aligning by them.
public struct WholeImageDetector: FaceDetecting {
    public init() {}

    public func detect(in frame: PixelBuffer) throws -> [DetectedFace] {
        guard frame.width > 0, frame.height > 0 else { return [] }
        let box = Box(x: 0, y: 0, width: Double(frame.width), height: Double(frame.height))
        return [DetectedFace(box: box, score: 1, rightEye: box.centre, leftEye: box.centre, others: [:])]
    }
}

extension FaceDetectorEntry {
    /// No detection: each picture is one face, for data sets of faces that are already cropped.
    public static let wholeImage = FaceDetectorEntry(
        name: "whole_image", summary: "each picture is one face", weights: [], allowsFollowing: false
    ) { _, _ in
        WholeImageDetector()
    }
}
