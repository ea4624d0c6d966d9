import MoodlineCore
import XCTest

/// Pairwise agreement of a grouping with identities, and the distance table thresholds are chosen on.
final class PairwiseAgreementTests: XCTestCase {
    func testPairsGroupedTogetherAreCountedAgainstTheIdentities() {
        // a a a b b: 3 + 1 = 4 pairs of one identity.
        let identities = ["a", "a", "a", "b", "b"]
        XCTAssertEqual(PairwiseAgreement(groups: [1, 1, 1, 2, 2], identities: identities).f1, 1)
        // One a split off: 1 of 3 a-pairs kept; every pair grouped together is right.
        let split = PairwiseAgreement(groups: [1, 1, 3, 2, 2], identities: identities)
        XCTAssertEqual(split.precision, 1)
        XCTAssertEqual(split.recall, 2.0 / 4)
        // Everyone in one group: 10 pairs together, 4 of them right.
        let merged = PairwiseAgreement(groups: [1, 1, 1, 1, 1], identities: identities)
        XCTAssertEqual(merged.precision, 4.0 / 10)
        XCTAssertEqual(merged.recall, 1)
        XCTAssertEqual(merged.f1, 2 * 0.4 / 1.4, accuracy: 1e-12)
    }

    func testThresholdsSplitPairsByIdentity() {
        // Two people on a line: 0 and 0.3 are one, 1.0 and 1.2 the other.
        let table = DistanceThresholds(
            embeddings: [[0], [0.3], [1.0], [1.2]], identities: ["a", "a", "b", "b"])
        XCTAssertEqual(table.same.count, 2)
        XCTAssertEqual(table.different.count, 4)
        XCTAssertEqual(table.same[0], 0.2, accuracy: 1e-6)
        let row = table.row(at: 0.5)
        XCTAssertEqual(row.sameAccepted, 1)
        XCTAssertEqual(row.differentRejected, 1)
        XCTAssertEqual(table.row(at: 0.25).sameAccepted, 0.5)
        XCTAssertEqual(table.row(at: 0.8).differentRejected, 0.75, "0.7 apart is judged one person at 0.8")
        XCTAssertEqual(table.best(among: [0.1, 0.35, 0.5, 0.9])?.threshold, 0.35, "the lowest of the best")
        XCTAssertEqual(DistanceThresholds.quantile([1, 2, 3], 0.5), 2)
        XCTAssertNil(DistanceThresholds.quantile([], 0.5))
    }
}
