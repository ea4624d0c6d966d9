import MoodlineCore
import MoodlineMedia

/// A test-only detector: one face, a square of half the picture's shorter side at its centre. It shows that a
/// detector is one file and one registration line.
struct CentreFaceDetector: FaceDetecting {
    func detect(in frame: PixelBuffer) throws -> [DetectedFace] {
        let side = Double(min(frame.width, frame.height)) / 2
        let box = Box(
            x: (Double(frame.width) - side) / 2, y: (Double(frame.height) - side) / 2, width: side, height: side)
        return [
            DetectedFace(
                box: box, score: 0.75, rightEye: Point(x: box.x + side * 0.3, y: box.y + side * 0.4),
                leftEye: Point(x: box.x + side * 0.7, y: box.y + side * 0.4),
                others: [DetectedFace.Landmark(rawValue: "chin"): Point(x: box.centre.x, y: box.y + side)])
        ]
    }
}

extension FaceDetectorEntry {
    static let centre = FaceDetectorEntry(
        name: "test_centre", summary: "a square at the centre, for tests", weights: []
    ) { _, _ in
        CentreFaceDetector()
    }
}
