import MoodlineCore
import XCTest
@testable import moodline

/// The last line printed for an input counts the tracks `frames.csv` names but `tracks.json` leaves out.
final class FindingsLineTests: XCTestCase {
    func testTheLineCountsTracksLeftOut() {
        let input = PlannedInput(source: .video(path: "clip.mp4"), path: "clip.mp4", outputName: "clip")
        var outcome = InputOutcome(outputFolder: "out/clip")
        outcome.framesSampled = 10
        outcome.faces = 20
        outcome.tracks = 1
        XCTAssertEqual(ProgressRenderer.findings(input, outcome), "20 face(s) in 1 track(s)")
        outcome.tracksLeftOut = [2]
        XCTAssertEqual(
            ProgressRenderer.findings(input, outcome),
            "20 face(s) in 1 track(s) (and 1 left out: every reading uncertain)")
    }
}
