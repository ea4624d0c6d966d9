import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// The Swift mini-Xception against a numpy forward pass over the upstream HDF5 weights (scripts/make_golden.py),
/// on 28 FER2013 validation faces.
final class EmotionClassifierGoldenTests: XCTestCase {
    struct Fixture: Decodable {
        let crop_size: Int
        let labels: [String]
        let crops: [String]
        let probabilities: [[Float]]
    }

    func testProbabilitiesMatchUpstreamWithin1e4() throws {
        let fixture = try TestMedia.json(Fixture.self, "MoodlineCoreTests", "emotion.json")
        XCTAssertEqual(fixture.labels, Emotion.allCases.map(\.rawValue))
        let bytes = [UInt8](try Data(contentsOf: TestMedia.golden("MoodlineCoreTests", "emotion_crops.u8")))
        let side = fixture.crop_size
        XCTAssertEqual(bytes.count, fixture.crops.count * side * side)
        let crops = (0..<fixture.crops.count).map {
            PixelBuffer(
                width: side, height: side, layout: .grey,
                bytes: Array(bytes[($0 * side * side)..<(($0 + 1) * side * side)]))
        }
        let classifier = try ModelStore(folder: TestMedia.weights).emotionClassifier(
            ClassifierSettings(model: .miniXception))
        let batched = try classifier.classify(crops)
        for (i, scores) in batched.enumerated() {
            for (got, want) in zip(scores.probabilities, fixture.probabilities[i]) {
                XCTAssertEqual(got, want, accuracy: 1e-4, fixture.crops[i])
            }
            XCTAssertEqual(scores.probabilities.reduce(0, +), 1, accuracy: 1e-5)
        }
        // One at a time gives the same answers as one batch (to float rounding: BLAS blocks by batch size).
        for i in [0, 13, 27] {
            for (single, inBatch) in zip(try classifier.classify([crops[i]])[0].probabilities, batched[i].probabilities)
            {
                XCTAssertEqual(single, inBatch, accuracy: 1e-6)
            }
        }
    }

    func testLabelAndConfidence() {
        let scores = EmotionScores(probabilities: [0.1, 0, 0.05, 0.6, 0.1, 0.05, 0.1])
        XCTAssertEqual(scores.label, .happy)
        XCTAssertEqual(scores.confidence, 0.6)
        XCTAssertEqual(scores[.sad], 0.1)
    }
}
