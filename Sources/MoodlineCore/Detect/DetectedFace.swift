/// A face a detector found, in source pixels of the upright frame.
///
/// Landmarks are named. The two eyes are required (registration aligns on them); a detector gives whichever
/// others it has, and outputs list them in `Landmark` order.
public struct DetectedFace: Sendable, Equatable {
    /// A facial landmark's name, as the subject sees it: the subject's right eye is on the image's left.
    ///
    /// The named points registration and the quality gate read are constants here; a detector may give any others
    /// (a model with 68 or 468 points names them itself), and outputs list the known ones first, in `standardOrder`,
    /// then the others by name.
    public struct Landmark: RawRepresentable, Hashable, Sendable, Comparable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let rightEye = Landmark(rawValue: "rightEye")
        public static let leftEye = Landmark(rawValue: "leftEye")
        public static let nose = Landmark(rawValue: "nose")
        public static let mouth = Landmark(rawValue: "mouth")
        public static let rightEar = Landmark(rawValue: "rightEar")
        public static let leftEar = Landmark(rawValue: "leftEar")

        /// The known points in output order (BlazeFace's six, as schema 1 lists them).
        public static let standardOrder: [Landmark] = [.rightEye, .leftEye, .nose, .mouth, .rightEar, .leftEar]

        /// Known points in `standardOrder`, then the others by name.
        public static func < (a: Landmark, b: Landmark) -> Bool {
            let (i, j) = (standardOrder.firstIndex(of: a) ?? .max, standardOrder.firstIndex(of: b) ?? .max)
            return i != j ? i < j : a.rawValue < b.rawValue
        }
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

    /// The landmarks present: the known ones in `Landmark.standardOrder`, then any others by name.
    public var orderedLandmarks: [(name: Landmark, point: Point)] {
        landmarks.keys.sorted().map { ($0, landmarks[$0]!) }
    }

    /// Whether the score, box and every landmark are finite numbers (a model fed odd input can give NaN).
    public var isFinite: Bool {
        score.isFinite && box.x.isFinite && box.y.isFinite && box.width.isFinite && box.height.isFinite
            && landmarks.values.allSatisfy { $0.x.isFinite && $0.y.isFinite }
    }

    /// Whether the box is at least `minimum` pixels on its longer side once multiplied by `scale` (the analysed
    /// frame's pixels to the source's): the one rule for a face too small to keep.
    public func isAtLeast(_ minimum: Double, scale: Double = 1) -> Bool {
        max(box.width, box.height) * scale >= minimum
    }

    /// The same face and landmarks with another box.
    public func moved(to box: Box) -> DetectedFace {
        var moved = self
        moved.box = box
        return moved
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

extension Array where Element == DetectedFace {
    /// Highest score first, as detectors give their faces; ties keep their order, so results never depend on the
    /// sort's whims.
    public func highestScoreFirst() -> [DetectedFace] {
        enumerated().sorted {
            $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset
        }
        .map(\.element)
    }
}
