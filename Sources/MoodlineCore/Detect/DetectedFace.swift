/// A face the detector found, in source pixels of the upright frame.
public struct DetectedFace: Sendable, Equatable, Codable {
    /// The six BlazeFace keypoints, in order (the subject's right eye is on the image's left).
    public enum Keypoint: Int, Sendable, CaseIterable {
        case rightEye, leftEye, noseTip, mouthCentre, rightEarTragion, leftEarTragion
    }

    public var box: Box
    /// Detection confidence in [0, 1].
    public var score: Double
    /// Six keypoints, indexed by `Keypoint`.
    public var keypoints: [Point]

    public init(box: Box, score: Double, keypoints: [Point]) {
        precondition(keypoints.count == Keypoint.allCases.count, "BlazeFace gives 6 keypoints, got \(keypoints.count)")
        self.box = box
        self.score = score
        self.keypoints = keypoints
    }

    public subscript(_ keypoint: Keypoint) -> Point { keypoints[keypoint.rawValue] }

    /// The same face in a picture `factor` times larger.
    public func scaled(by factor: Double) -> DetectedFace {
        guard factor != 1 else { return self }
        return DetectedFace(box: Box(x: box.x * factor, y: box.y * factor, width: box.width * factor, height: box.height * factor),
                            score: score, keypoints: keypoints.map { Point(x: $0.x * factor, y: $0.y * factor) })
    }
}
