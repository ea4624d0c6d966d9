import Foundation
import MoodlineMedia

/// Why a reading is uncertain.
public enum UncertainReason: String, Sendable, CaseIterable, Codable {
    case small, blurred, turned, tilted
    case lowConfidence = "low_confidence"
    /// The probabilities are as spread as human votes are where annotators disagree (`quality.max_spread`): a
    /// face between two expressions, which people would read either way.
    case ambiguous
}

/// The quality gate's measurements of one face, and the reasons it fails the gate (none: the reading stands).
public struct FaceQuality: Sendable, Equatable {
    /// Sharpness: variance of the Laplacian over the crop's centre, in grey levels².
    public let sharpness: Double
    /// Estimated yaw in degrees (nil when the detector gives no ears or nose, e.g. `whole_image`).
    public let yawDegrees: Double?
    /// Roll in degrees: the eye line's angle (nil without eyes).
    public let rollDegrees: Double?
    /// Empty when the reading stands.
    public let reasons: [UncertainReason]

    public var isUncertain: Bool { !reasons.isEmpty }
    /// The reasons joined with `;`, as the outputs write them ("" when certain).
    public var reasonText: String { reasons.map(\.rawValue).joined(separator: ";") }

    /// A verdict as a run recorded it (`ReadingsRecord`).
    init(sharpness: Double, yawDegrees: Double?, rollDegrees: Double?, reasons: [UncertainReason]) {
        self.sharpness = sharpness
        self.yawDegrees = yawDegrees
        self.rollDegrees = rollDegrees
        self.reasons = reasons
    }

    /// Assesses a face: its detection in source pixels, its aligned crop and its reading.
    public init(face: DetectedFace, crop: PixelBuffer, scores: EmotionScores, settings: QualitySettings) {
        sharpness = Self.sharpness(of: crop)
        let eyes = (face.leftEye.x - face.rightEye.x, face.leftEye.y - face.rightEye.y)
        let eyeDistance = (eyes.0 * eyes.0 + eyes.1 * eyes.1).squareRoot()
        rollDegrees = eyeDistance > 1e-6 ? atan2(eyes.1, eyes.0) * 180 / .pi : nil
        yawDegrees = Self.yaw(face)
        var reasons: [UncertainReason] = []
        if !face.isAtLeast(settings.minimumFacePixels) { reasons.append(.small) }
        if sharpness < settings.minimumSharpness { reasons.append(.blurred) }
        if let yawDegrees, abs(yawDegrees) > settings.maximumYawDegrees { reasons.append(.turned) }
        if let rollDegrees, abs(rollDegrees) > settings.maximumRollDegrees { reasons.append(.tilted) }
        if Double(scores.confidence) < settings.minimumConfidence { reasons.append(.lowConfidence) }
        if scores.spread > settings.maximumSpread { reasons.append(.ambiguous) }
        self.reasons = reasons
    }

    /// How far the nose tip stands in front of the line between the ears, over half the ear-to-ear distance. Turning a
    /// head by yaw moves the nose off the ears' midpoint by this times tan(yaw), in units of half the (foreshortened)
    /// ear-to-ear distance. Fitted on faces turned by known angles (`HeadPoseTests`, from `scripts/make_yaw_faces.py`):
    /// BlazeFace's keypoints give 1.13 at 15 degrees and 1.38 at 30 (medians of 18 faces each).
    static let noseDepthOverHalfEarWidth = 1.3

    /// Yaw from where the nose tip sits between the ears, along the eye line: 0 facing the camera, towards ±90 in
    /// profile (tan(yaw) = the nose's offset from the ears' midpoint over half the ear-to-ear distance, over
    /// `noseDepthOverHalfEarWidth`). Positive: turned towards the picture's right (the person's left).
    static func yaw(_ face: DetectedFace) -> Double? {
        guard let nose = face.landmarks[.nose], let right = face.landmarks[.rightEar],
            let left = face.landmarks[.leftEar]
        else { return nil }
        let axis = (left.x - right.x, left.y - right.y)
        let length = (axis.0 * axis.0 + axis.1 * axis.1).squareRoot()
        guard length > 1e-6 else { return nil }
        // Positions along the ear-to-ear axis.
        let toNose = ((nose.x - right.x) * axis.0 + (nose.y - right.y) * axis.1) / length
        let offset = (2 * toNose - length) / length
        return atan(offset / noseDepthOverHalfEarWidth) * 180 / .pi
    }

    /// Variance of the 4-neighbour Laplacian over the crop's central half, where the face is and the black fill
    /// of an alignment past the picture's edge is not.
    static func sharpness(of crop: PixelBuffer) -> Double {
        let grey = crop.greyscale()
        let w = grey.width, h = grey.height
        let x0 = max(1, w / 4), x1 = min(w - 1, w - w / 4), y0 = max(1, h / 4), y1 = min(h - 1, h - h / 4)
        guard x1 > x0, y1 > y0 else { return 0 }
        var sum = 0.0, squares = 0.0, count = 0.0
        for y in y0..<y1 {
            for x in x0..<x1 {
                let centre = Double(grey.bytes[y * w + x])
                let laplacian =
                    Double(grey.bytes[y * w + x - 1]) + Double(grey.bytes[y * w + x + 1])
                    + Double(grey.bytes[(y - 1) * w + x]) + Double(grey.bytes[(y + 1) * w + x]) - 4 * centre
                sum += laplacian
                squares += laplacian * laplacian
                count += 1
            }
        }
        let mean = sum / count
        return max(0, squares / count - mean * mean)
    }
}
