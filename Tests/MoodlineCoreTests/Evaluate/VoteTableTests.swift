import Foundation
import MoodlineCore
import XCTest

/// Human votes read from FER+'s layout or emotion-named columns, their majority and distribution, and the
/// agreement measures, against hand-computed cases.
final class VoteTableTests: XCTestCase {
    private let ferPlus = """
        path,split,fer2013_label,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF,ferplus_majority,copy_in_other_split
        validation/angry/a.jpg,validation,angry,2,0,0,1,7,0,0,0,0,0,angry,0
        validation/angry/b.jpg,validation,angry,4,0,0,4,1,0,0,0,1,0,no_majority,0
        validation/sad/c.jpg,validation,sad,0,0,0,0,0,0,0,0,2,8,NF,1
        validation/sad/d.jpg,validation,sad,,,,,,,,,,,no_votes,0
        """

    func testFERPlusRowsGiveTheMajorityAfterSingleVotesAreDropped() throws {
        let table = try VoteTable(text: ferPlus, name: "ferplus.csv")
        XCTAssertEqual(table.votes.count, 3, "the row without votes is left out")
        let a = try XCTUnwrap(table.votes(forRelativePath: "angry/a.jpg"))
        // Single votes dropped: neutral 2, anger 7 of 9 kept: anger has more than half.
        XCTAssertEqual(a.majority, .angry)
        XCTAssertEqual(a.emotions, [7, 0, 0, 0, 1, 0, 2])
        let distribution = try XCTUnwrap(a.distribution)
        XCTAssertEqual(distribution[Emotion.angry.index], 7.0 / 9, accuracy: 1e-12)
        XCTAssertEqual(distribution[Emotion.sad.index], 0, "a single vote is dropped")
        // 4 neutral and 4 sad: no majority, the annotators split.
        let b = try XCTUnwrap(table.votes(forRelativePath: "angry/b.jpg"))
        XCTAssertNil(b.majority)
        XCTAssertTrue(b.isSplit)
        XCTAssertFalse(a.isSplit)
        // Mostly "not a face": no emotion majority, and the copy mark is read.
        let c = try XCTUnwrap(table.votes(forRelativePath: "c.jpg"))
        XCTAssertNil(c.majority)
        XCTAssertFalse(c.isSplit, "no majority, but not an expression people split on")
        XCTAssertTrue(c.isCopy)
        XCTAssertNil(table.votes(forRelativePath: "sad/d.jpg"))
    }

    func testEmotionNamedColumnsAndBadCountsAreNamed() throws {
        let table = try VoteTable(
            text: "path,angry,disgust,fear,happy,sad,surprise,neutral\nx/1.png,0,0,0,3,0,0,0\n", name: "mine.csv")
        XCTAssertEqual(table.votes(forRelativePath: "1.png")?.majority, .happy)
        XCTAssertThrowsError(
            try VoteTable(
                text: "path,angry,disgust,fear,happy,sad,surprise,neutral\nx.png,0,0,0,-3,0,0,0\n", name: "bad.csv")
        ) {
            XCTAssertEqual("\($0)", "bad.csv line 2: '-3' in happy is not a count")
        }
        XCTAssertThrowsError(try VoteTable(text: "path,angry\n", name: "short.csv")) {
            XCTAssertEqual("\($0)", "short.csv: no count column for disgust (or FER+'s disgust)")
        }
    }

    /// Two pictures: votes 7 angry + 2 neutral (kept), and 10 happy. The readings: angry 0.5 / neutral 0.5 on the
    /// first, sad 0.6 / happy 0.4 on the second.
    func testAgreementAgainstAHandComputedCase() {
        let first = VoteTable.Votes(emotions: [7, 0, 0, 0, 0, 0, 2], other: 0)
        let second = VoteTable.Votes(emotions: [0, 0, 0, 10, 0, 0, 0], other: 0)
        var p1 = [Double](repeating: 0, count: 7), p2 = [Double](repeating: 0, count: 7)
        p1[Emotion.angry.index] = 0.5
        p1[Emotion.neutral.index] = 0.5
        p2[Emotion.sad.index] = 0.6
        p2[Emotion.happy.index] = 0.4
        let agreement = VoteAgreement(probabilities: [p1, p2], votes: [first, second])
        let crossEntropy = (-(7.0 / 9) * log(0.5) - (2.0 / 9) * log(0.5) - log(0.4)) / 2
        XCTAssertEqual(agreement.crossEntropy, crossEntropy, accuracy: 1e-12)
        let entropy = (-(7.0 / 9) * log(7.0 / 9) - (2.0 / 9) * log(2.0 / 9)) / 2
        XCTAssertEqual(agreement.voteEntropy, entropy, accuracy: 1e-12)
        // The first's top class (angry, first of a tie) got votes; the second's (sad) got none.
        XCTAssertEqual(agreement.topClassVotedFor, 0.5)
        XCTAssertEqual(agreement.count, 2)
    }

    /// Three readings, two of pictures the annotators split on: the check counts what it marks and what it finds.
    func testAmbiguityCheckCountsMarkedAndFound() {
        let check = AmbiguityCheck(spreads: [0.1, 0.5, 0.6, 0.7], split: [true, true, false, false], threshold: 0.4)
        XCTAssertEqual(check.marked, 3)
        XCTAssertEqual(check.markedSplit, 1)
        XCTAssertEqual(try XCTUnwrap(check.precision), 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(check.recall, 0.5)
        XCTAssertEqual(check.baseRate, 0.5)
        XCTAssertNil(AmbiguityCheck(spreads: [0.1], split: [false], threshold: 0.4).precision, "nothing marked")
        XCTAssertNil(AmbiguityCheck(spreads: [0.9], split: [false], threshold: 0.4).recall, "nothing split")
    }
}
