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

    func testACutEndsEveryTrackAndTheSameBoxesStartNewOnes() {
        var tracker = TrackAssigner(settings: TrackSettings())
        XCTAssertEqual(tracker.assign([box(100, 100), box(400, 100)], at: 0), [1, 2])
        XCTAssertEqual(tracker.assign([box(102, 100), box(400, 102)], at: 0.2), [1, 2])
        tracker.endAllTracks()
        XCTAssertEqual(tracker.takeEnded(), [1, 2])
        // Another person framed alike, at the same place: a new track all the same.
        XCTAssertEqual(tracker.assign([box(102, 100)], at: 0.4), [3])
        XCTAssertEqual(tracker.takeEnded(), [])
    }

    func testABoxThatJumpsFurtherThanAFaceCanMoveStartsANewTrack() {
        // With no overlap asked for, every box could continue every track: only the jump rule tells them apart.
        var tracker = TrackAssigner(settings: TrackSettings(minimumOverlap: 0, maximumFaceWidthsPerSecond: 4))
        XCTAssertEqual(tracker.assign([box(0, 0)], at: 0), [1])
        // 100 px faces: 0.5 + 4 × 0.2 = 1.3 widths (130 px) allowed in 0.2 s.
        XCTAssertEqual(tracker.assign([box(120, 0)], at: 0.2), [1], "moved 1.2 widths in 0.2 s: a fast turn")
        XCTAssertEqual(tracker.assign([box(500, 0)], at: 0.4), [2], "3.8 widths in 0.2 s: no face moves so fast")
        // Frames 2 s apart allow 8.5 widths.
        XCTAssertEqual(tracker.assign([box(500, 600)], at: 2.4), [2])
        XCTAssertEqual(tracker.takeEnded(), [1])
    }

    func testAPredictionCarriedFarDoesNotLinkABoxFarFromTheTracksLastPlace() {
        // A track whose velocity says it races right; the next frame, 0.1 s later, shows a face that overlaps the
        // prediction well but lies 1 width from the track's last box (more than 0.5 + 4 × 0.1 = 0.9 widths).
        var tracker = TrackAssigner(settings: TrackSettings(minimumOverlap: 0.1))
        XCTAssertEqual(tracker.assign([box(0, 0)], at: 0), [1])
        XCTAssertEqual(tracker.assign([box(80, 0)], at: 0.1), [1])
        XCTAssertEqual(tracker.assign([box(160, 0)], at: 0.2), [1], "0.8 widths in 0.1 s: allowed")
        XCTAssertEqual(tracker.assign([box(260, 0)], at: 0.3), [2])
    }

    func testAFaceThatGrowsOrShrinksFasterThanAFaceCanStartsANewTrack() {
        // A cut from a wide shot to a close-up of the same person: the box overlaps, but is 1.6 times as large 0.2 s
        // later; 1.25 × 2^0.2 = 1.44 is allowed.
        var tracker = TrackAssigner(settings: TrackSettings())
        XCTAssertEqual(tracker.assign([box(100, 100)], at: 0), [1])
        XCTAssertEqual(tracker.assign([box(95, 95, size: 120)], at: 0.2), [1], "1.2 times in 0.2 s: leaning in")
        XCTAssertEqual(tracker.assign([box(70, 70, size: 192)], at: 0.4), [2], "1.6 times in 0.2 s: a new shot")
        // Shrinking counts alike: a close-up, then a wide shot.
        var shrinking = TrackAssigner(settings: TrackSettings())
        XCTAssertEqual(shrinking.assign([box(70, 70, size: 192)], at: 0), [1])
        XCTAssertEqual(shrinking.assign([box(100, 100, size: 120)], at: 0.2), [2])
        // Far apart in time, a face may change more: 1.6 times in 1 s is within 1.25 × 2.
        var slow = TrackAssigner(settings: TrackSettings())
        XCTAssertEqual(slow.assign([box(100, 100)], at: 0), [1])
        XCTAssertEqual(slow.assign([box(70, 70, size: 160)], at: 1), [1])
    }
}
