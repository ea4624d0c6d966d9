import MoodlineCore
import XCTest

/// Weighted non-maximum suppression ends whatever its input, and merges what overlaps.
final class WeightedNonMaximumSuppressionTests: XCTestCase {
    private func face(_ x: Double, _ y: Double, side: Double = 10, score: Double = 0.9) -> DetectedFace {
        DetectedFace(
            box: Box(x: x, y: y, width: side, height: side), score: score,
            rightEye: Point(x: x + 3, y: y + 3), leftEye: Point(x: x + 7, y: y + 3))
    }

    func testOverlappingCandidatesMergeIntoTheirWeightedMean() {
        let merged = WeightedNonMaximumSuppression.merge(
            [face(0, 0, score: 0.9), face(1, 0, score: 0.3), face(50, 50, score: 0.5)],
            iouThreshold: 0.3)
        XCTAssertEqual(merged.count, 2)
        XCTAssertEqual(merged[0].score, 0.9)
        XCTAssertEqual(merged[0].box.x, 0.25, accuracy: 1e-9)
        XCTAssertEqual(merged[1].box.x, 50)
    }

    /// A threshold of 1 used to loop for ever: no box overlaps even itself by more than 1, so nothing was removed.
    func testAThresholdOfOneKeepsEveryCandidateAndEnds() {
        let candidates = [face(0, 0), face(0, 0, score: 0.8), face(1, 1, score: 0.7)]
        XCTAssertEqual(WeightedNonMaximumSuppression.merge(candidates, iouThreshold: 1).count, 3)
    }

    /// A zero-area or NaN box overlaps nothing, itself included; NaN is dropped, a zero-area box kept alone.
    func testZeroAreaAndNaNBoxesEndTheLoop() {
        let zero = face(5, 5, side: 0, score: 0.6)
        var broken = face(0, 0, score: 0.7)
        broken.box = Box(x: .nan, y: 0, width: 10, height: 10)
        let nanScore = face(20, 20, score: .nan)
        let merged = WeightedNonMaximumSuppression.merge(
            [zero, broken, nanScore, face(40, 40, score: 0)], iouThreshold: 0.3)
        XCTAssertEqual(merged.count, 2)
        XCTAssertTrue(merged.allSatisfy(\.isFinite))
    }
}
