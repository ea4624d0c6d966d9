import MoodlineCore
import XCTest

final class TrackAssignerTests: XCTestCase {
    private func box(_ x: Double, _ y: Double, size: Double = 100) -> Box { Box(x: x, y: y, width: size, height: size) }

    func testTwoMovingFacesKeepTheirIDs() {
        var tracker = TrackAssigner(settings: TrackSettings())
        var left: [Int] = [], right: [Int] = []
        for step in 0..<20 {
            let t = Double(step) * 0.2
            // Faces given in alternating order; each moves 15 px per frame.
            let a = box(100 + Double(step) * 15, 100), b = box(600 - Double(step) * 15, 120)
            let ids = step % 2 == 0 ? tracker.assign([a, b], at: t) : tracker.assign([b, a], at: t).reversed()
            left.append(ids[0])
            right.append(ids[1])
        }
        XCTAssertEqual(Set(left), [1])
        XCTAssertEqual(Set(right), [2])
    }

    func testATrackEndsAfterItsMissingTimeAndIDsAreNeverReused() {
        var tracker = TrackAssigner(settings: TrackSettings(maximumMissingSeconds: 1.0))
        XCTAssertEqual(tracker.assign([box(0, 0)], at: 0), [1])
        XCTAssertEqual(tracker.assign([], at: 0.5), [])
        XCTAssertEqual(tracker.assign([box(5, 5)], at: 0.9), [1], "back within the missing time: same track")
        XCTAssertEqual(tracker.assign([], at: 1.5), [])
        XCTAssertEqual(tracker.assign([box(5, 5)], at: 2.1), [2], "gone longer than 1 s: a new track")
        XCTAssertEqual(tracker.assign([box(5, 5), box(400, 400)], at: 2.3), [2, 3])
    }

    func testFramesFarApartKeepAFaceThatWasNeverMissingButNotOneThatWas() {
        var tracker = TrackAssigner(settings: TrackSettings(maximumMissingSeconds: 1.0))
        // A slow live camera: frames 3 s apart, the face in each one.
        XCTAssertEqual(tracker.assign([box(0, 0)], at: 0), [1])
        XCTAssertEqual(tracker.assign([box(5, 0)], at: 3), [1], "seen in the frame before: not missing, only slow")
        XCTAssertEqual(tracker.assign([box(10, 0)], at: 6.5), [1])
        XCTAssertEqual(tracker.takeEnded(), [])
        // Seen missing in a frame, then back after longer than the missing time: a new track.
        XCTAssertEqual(tracker.assign([], at: 7), [])
        XCTAssertEqual(tracker.assign([box(10, 0)], at: 9), [2])
        XCTAssertEqual(tracker.takeEnded(), [1])
    }

    func testEndedTracksAreReportedOnceWhenALaterFrameShowsThemGone() {
        var tracker = TrackAssigner(settings: TrackSettings(maximumMissingSeconds: 1.0))
        _ = tracker.assign([box(0, 0), box(400, 400)], at: 0)
        XCTAssertEqual(tracker.takeEnded(), [])
        _ = tracker.assign([box(400, 400)], at: 0.8)
        XCTAssertEqual(tracker.takeEnded(), [], "track 1 is missing, not yet ended")
        _ = tracker.assign([box(400, 400)], at: 1.2)
        XCTAssertEqual(tracker.takeEnded(), [1])
        XCTAssertEqual(tracker.takeEnded(), [], "reported once")
        _ = tracker.assign([], at: 5)
        XCTAssertEqual(tracker.takeEnded(), [2])
    }

    func testFarApartFacesAreNotLinked() {
        var tracker = TrackAssigner(settings: TrackSettings())
        XCTAssertEqual(tracker.assign([box(0, 0)], at: 0), [1])
        XCTAssertEqual(tracker.assign([box(500, 0)], at: 0.2), [2])
    }
}
