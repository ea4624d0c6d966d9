import MoodlineCore
import XCTest

final class ClassificationReportTests: XCTestCase {
    func testMetricsOnAHandWorkedExample() {
        // Truth a a a b b c; predicted a a b b c c.
        let report = ClassificationReport(
            labels: ["a", "b", "c"], truth: [0, 0, 0, 1, 1, 2], predicted: [0, 0, 1, 1, 2, 2])
        XCTAssertEqual(report.confusion, [[2, 1, 0], [0, 1, 1], [0, 0, 1]])
        XCTAssertEqual(report.accuracy, 4.0 / 6.0, accuracy: 1e-12)
        XCTAssertEqual(report.perClassAccuracy, [2.0 / 3.0, 0.5, 1.0])
        // a: P 1, R 2/3 -> 0.8; b: P 1/2, R 1/2 -> 0.5; c: P 1/2, R 1 -> 2/3.
        XCTAssertEqual(report.perClassF1[0], 0.8, accuracy: 1e-12)
        XCTAssertEqual(report.perClassF1[1], 0.5, accuracy: 1e-12)
        XCTAssertEqual(report.perClassF1[2], 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(report.macroF1, (0.8 + 0.5 + 2.0 / 3.0) / 3, accuracy: 1e-12)
    }

    func testAClassNeverPredictedHasZeroF1() {
        let report = ClassificationReport(labels: ["a", "b"], truth: [0, 1], predicted: [0, 0])
        XCTAssertEqual(report.perClassF1[1], 0)
        XCTAssertEqual(report.perClassAccuracy, [1, 0])
    }
}
