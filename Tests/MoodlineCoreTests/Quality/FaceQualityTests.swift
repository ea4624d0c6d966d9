import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// The quality gate: each reason on its own, measured on the sample's real faces where it can be.
final class FaceQualityTests: XCTestCase {
    private let settings = QualitySettings()
    private let sure = EmotionScores(probabilities: [0.02, 0.01, 0.02, 0.9, 0.02, 0.01, 0.02])

    /// A frontal face: eyes level, nose midway between the ears.
    private func face(size: Double = 120, roll: Double = 0, noseShift: Double = 0) -> DetectedFace {
        let centre = Point(x: 300, y: 300)
        func at(_ dx: Double, _ dy: Double) -> Point {
            let r = roll * .pi / 180
            return Point(x: centre.x + dx * cos(r) - dy * sin(r), y: centre.y + dx * sin(r) + dy * cos(r))
        }
        let s = size / 100
        return DetectedFace(
            box: Box(x: centre.x - size / 2, y: centre.y - size / 2, width: size, height: size), score: 0.9,
            rightEye: at(-18 * s, -10 * s), leftEye: at(18 * s, -10 * s),
            others: [
                .nose: at(noseShift * s, 5 * s), .mouth: at(0, 25 * s), .rightEar: at(-45 * s, 0),
                .leftEar: at(45 * s, 0),
            ])
    }

    private func realCrop() throws -> PixelBuffer {
        var frame: PixelBuffer?
        _ = try MediaReader(path: TestMedia.multiFace).decodeFrames { frame = $0.pixels }
        let photo = try XCTUnwrap(frame)
        let detected = try ModelStore(folder: TestMedia.weights).faceDetector().detect(in: photo)
        return FaceAligner().align(try XCTUnwrap(detected.first), in: photo).crop
    }

    func testAFrontalSharpConfidentFaceStands() throws {
        let quality = FaceQuality(face: face(), crop: try realCrop(), scores: sure, settings: settings)
        XCTAssertEqual(quality.reasons, [], "sharpness \(quality.sharpness)")
        XCTAssertEqual(try XCTUnwrap(quality.yawDegrees), 0, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(quality.rollDegrees), 0, accuracy: 1e-9)
        XCTAssertEqual(quality.reasonText, "")
    }

    func testEachReasonIsGivenAlone() throws {
        let crop = try realCrop()
        XCTAssertEqual(
            FaceQuality(face: face(size: 16), crop: crop, scores: sure, settings: settings).reasons, [.small])
        XCTAssertEqual(
            FaceQuality(face: face(noseShift: 40), crop: crop, scores: sure, settings: settings).reasons, [.turned])
        XCTAssertEqual(
            FaceQuality(face: face(roll: 50), crop: crop, scores: sure, settings: settings).reasons, [.tilted])
        let unsure = EmotionScores(probabilities: [0.2, 0.05, 0.2, 0.25, 0.1, 0.1, 0.1])
        XCTAssertEqual(
            FaceQuality(face: face(), crop: crop, scores: unsure, settings: settings).reasons, [.lowConfidence])
        // The same face, upscaled from a quarter of its pixels: the gate calls it blurred.
        let small = BilinearSampler.resize(crop, width: crop.width / 4, height: crop.height / 4)
        let blurred = BilinearSampler.resize(small, width: crop.width, height: crop.height)
        let quality = FaceQuality(face: face(), crop: blurred, scores: sure, settings: settings)
        XCTAssertEqual(quality.reasons, [.blurred], "sharpness \(quality.sharpness)")
        XCTAssertEqual(
            FaceQuality(face: face(size: 16, roll: 50), crop: blurred, scores: unsure, settings: settings).reasonText,
            "small;blurred;tilted;low_confidence")
    }

    /// Spread: 0 for one certain emotion, 1 for all seven equal, ln 2 / ln 7 for two at half; the gate marks a
    /// reading ambiguous only above its threshold, and never at the default (1).
    func testSpreadMarksAmbiguousReadingsAboveTheThreshold() throws {
        var certain = [Float](repeating: 0, count: 7)
        certain[Emotion.happy.index] = 1
        var torn = [Float](repeating: 0, count: 7)
        torn[Emotion.happy.index] = 0.5
        torn[Emotion.surprise.index] = 0.5
        let even = [Float](repeating: 1.0 / 7, count: 7)
        XCTAssertEqual(EmotionScores(probabilities: certain).spread, 0, accuracy: 1e-12)
        XCTAssertEqual(EmotionScores(probabilities: even).spread, 1, accuracy: 1e-6)
        XCTAssertEqual(EmotionScores(probabilities: torn).spread, log(2) / log(7), accuracy: 1e-6)
        let crop = try realCrop()
        var strict = settings
        strict.maximumSpread = 0.3
        XCTAssertEqual(
            FaceQuality(face: face(), crop: crop, scores: EmotionScores(probabilities: torn), settings: strict).reasons,
            [.ambiguous])
        XCTAssertEqual(FaceQuality(face: face(), crop: crop, scores: sure, settings: strict).reasons, [])
        XCTAssertEqual(
            FaceQuality(face: face(), crop: crop, scores: EmotionScores(probabilities: even), settings: settings)
                .reasons, [.lowConfidence], "the default never marks a reading ambiguous")
    }

    func testAWholeImageFaceHasNoPoseToJudge() throws {
        let whole = try XCTUnwrap(
            WholeImageDetector().detect(in: PixelBuffer(width: 64, height: 64, layout: .grey)).first)
        let quality = FaceQuality(face: whole, crop: try realCrop(), scores: sure, settings: settings)
        XCTAssertNil(quality.yawDegrees)
        XCTAssertNil(quality.rollDegrees)
        XCTAssertEqual(quality.reasons, [])
    }
}
