/// A face a detector found, in source pixels of the upright frame.
///
/// Landmarks are named. The two eyes are required (registration aligns on them); a detector gives whichever
/// others it has, and outputs list them in `Landmark` order.
public struct DetectedFace: Sendable, Equatable {
    /// Facial landmarks by name, as the subject sees them: the subject's right eye is on the image's left.
    public enum Landmark: String, Sendable, CaseIterable {
        case rightEye, leftEye, nose, mouth, rightEar, leftEar
    }

    /// The face's box, in source pixels.
    public var box: Box
    /// Detection confidence in [0, 1].
    public var score: Double
    /// The landmarks the detector gave; always holds both eyes.
    public private(set) var landmarks: [Landmark: Point]

    /// A face with both eyes and any `others` (eyes in `others` are ignored).
    public init(box: Box, score: Double, rightEye: Point, leftEye: Point, others: [Landmark: Point] = [:]) {
        self.box = box
        self.score = score
        landmarks = others
        landmarks[.rightEye] = rightEye
        landmarks[.leftEye] = leftEye
    }

    /// The subject's right eye (on the image's left).
    public var rightEye: Point { landmarks[.rightEye]! }
    /// The subject's left eye.
    public var leftEye: Point { landmarks[.leftEye]! }

    /// A landmark, if the detector gave it.
    public subscript(_ landmark: Landmark) -> Point? { landmarks[landmark] }

    /// The landmarks present, in `Landmark` order.
    public var orderedLandmarks: [(name: Landmark, point: Point)] {
        Landmark.allCases.compactMap { name in landmarks[name].map { (name, $0) } }
    }

    /// Whether the score, box and every landmark are finite numbers (a model fed odd input can give NaN).
    public var isFinite: Bool {
        score.isFinite && box.x.isFinite && box.y.isFinite && box.width.isFinite && box.height.isFinite
            && landmarks.values.allSatisfy { $0.x.isFinite && $0.y.isFinite }
    }

    /// The same face in a picture `factor` times larger.
    public func scaled(by factor: Double) -> DetectedFace {
        guard factor != 1 else { return self }
        var scaled = self
        scaled.box = Box(x: box.x * factor, y: box.y * factor, width: box.width * factor, height: box.height * factor)
        scaled.landmarks = landmarks.mapValues { Point(x: $0.x * factor, y: $0.y * factor) }
        return scaled
    }
}
