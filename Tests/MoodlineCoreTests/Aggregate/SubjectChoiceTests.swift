import MoodlineCore
import XCTest

final class SubjectChoiceTests: XCTestCase {
    private func track(_ id: Int, box: Box, screen: Double) -> TrackSummary {
        TrackSummary(
            id: id, firstSeconds: 0, lastSeconds: screen, framesSeen: 10,
            meanProbabilities: EmotionScores(probabilities: [0, 0, 0, 1, 0, 0, 0]), timeShare: [0, 0, 0, 1, 0, 0, 0],
            screenSeconds: screen, meanBox: box, timeline: [])
    }

    func testEachRulePicksItsTrack() {
        let picture = PictureSize(width: 1000, height: 500)
        let tracks = [
            track(1, box: Box(x: 0, y: 0, width: 300, height: 300), screen: 5), // largest, in a corner
            track(2, box: Box(x: 450, y: 200, width: 100, height: 100), screen: 8), // centred
            track(3, box: Box(x: 800, y: 300, width: 150, height: 150), screen: 20), // longest
        ]
        XCTAssertEqual(SubjectChoice.largest.pick(from: tracks, picture: picture), 1)
        XCTAssertEqual(SubjectChoice.center.pick(from: tracks, picture: picture), 2)
        XCTAssertEqual(SubjectChoice.longest.pick(from: tracks, picture: picture), 3)
        XCTAssertNil(SubjectChoice.all.pick(from: tracks, picture: picture))
        XCTAssertNil(SubjectChoice.longest.pick(from: [TrackSummary](), picture: picture))
    }

    func testTiesGoToTheLongerTrackThenTheLowerID() {
        let same = Box(x: 0, y: 0, width: 100, height: 100)
        XCTAssertEqual(
            SubjectChoice.largest.pick(
                from: [track(5, box: same, screen: 3), track(2, box: same, screen: 9)], picture: nil), 2)
        XCTAssertEqual(
            SubjectChoice.largest.pick(
                from: [track(5, box: same, screen: 3), track(2, box: same, screen: 3)], picture: nil), 2)
    }
}
