import MoodlineCore
import XCTest

/// The quality gate's audit against hand-counted readings: each reason's marked and kept readings, the confidence
/// bands, and the fitted confidence below which readings are mostly wrong.
final class GateAuditTests: XCTestCase {
    func testEachReasonSplitsTheReadingsIntoMarkedAndKept() {
        let audit = GateAudit(
            reasons: [[.small], [.small, .lowConfidence], [], [.turned]],
            correct: [true, false, true, false], confidences: [0.9, 0.2, 0.8, 0.55])
        let rows = Dictionary(uniqueKeysWithValues: audit.rows.map { ($0.reason, $0) })
        XCTAssertEqual(audit.rows.count, UncertainReason.allCases.count + 1)
        XCTAssertEqual(audit.rows.last?.reason, "any")
        let small = rows["small"]
        XCTAssertEqual(small?.marked, 2)
        XCTAssertEqual(small?.markedRight, 1)
        XCTAssertEqual(small?.kept, 2)
        XCTAssertEqual(small?.keptRight, 1)
        XCTAssertEqual(rows["any"]?.marked, 3)
        XCTAssertEqual(rows["any"]?.keptAccuracy, 1)
        XCTAssertEqual(rows["any"]?.markedAccuracy ?? -1, 1.0 / 3, accuracy: 1e-12)
        XCTAssertNil(rows["blurred"]?.markedAccuracy, "nothing marked blurred")
    }

    func testABandsLowerEdgeIsInIt() {
        let audit = GateAudit(reasons: [[], [], []], correct: [true, true, true], confidences: [0.3, 0.6, 0.7])
        XCTAssertEqual(audit.bands.map(\.count), [0, 0, 0, 1, 0, 0, 1, 1, 0, 0])
        XCTAssertEqual(audit.bands[3].lower, 0.3, "no float noise in the edges written out")
    }

    func testBandsCountReadingsByTopProbabilityWithOneInTheLastBand() {
        let audit = GateAudit(
            reasons: [[], [], [], []], correct: [true, false, true, true], confidences: [0.05, 0.15, 0.95, 1.0])
        XCTAssertEqual(audit.bands.count, 10)
        XCTAssertEqual(audit.bands[0].count, 1)
        XCTAssertEqual(audit.bands[1].right, 0)
        XCTAssertEqual(audit.bands[9].count, 2, "a probability of 1 falls in the top band")
        XCTAssertEqual(audit.bands[9].lower, 0.9, accuracy: 1e-12)
    }

    /// Bands right 30%, 40%, 60%, 45%, 80%: readings are mostly right only from the 0.7 band up (the 0.6 band
    /// fails after the 0.5 band passed). A band with too few readings does not count.
    func testMostlyRightFromIsTheBandAboveTheHighestFailingOne() {
        var reasons: [[UncertainReason]] = [], correct: [Bool] = [], confidences: [Double] = []
        for (confidence, rightOfTwenty) in [(0.35, 6), (0.45, 8), (0.55, 12), (0.65, 9), (0.75, 16)] {
            for index in 0..<20 {
                reasons.append([])
                correct.append(index < rightOfTwenty)
                confidences.append(confidence)
            }
        }
        // Two readings, both wrong, at 0.85: too few to count.
        reasons += [[], []]
        correct += [false, false]
        confidences += [0.85, 0.85]
        let audit = GateAudit(reasons: reasons, correct: correct, confidences: confidences)
        XCTAssertEqual(audit.confidenceWhereMostlyRight() ?? -1, 0.7, accuracy: 1e-12)
        XCTAssertNil(audit.confidenceWhereMostlyRight(minimumCount: 1), "the top measured band fails")
        let allRight = GateAudit(reasons: [[]], correct: [true], confidences: [0.42])
        XCTAssertEqual(allRight.confidenceWhereMostlyRight(minimumCount: 1) ?? -1, 0.4, accuracy: 1e-12)
    }
}
