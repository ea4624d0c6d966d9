import MoodlineTestSupport
import XCTest

/// The rules the reference-output test compares by: what passes between BLAS kernels, and what must not.
final class OutputComparisonTests: XCTestCase {
    private let header = "frame,time_s,face,angry,disgust,fear,happy,sad,surprise,neutral,emotion,confidence"

    func testLastDigitMovesPassAndLargerOnesFail() {
        let want = header + "\n0,0.000,0,0.0555,0.0255,0.0711,0.3984,0.2134,0.0202,0.2159,happy,0.3984\n"
        let nudged = want.replacingOccurrences(of: "0.2134", with: "0.2135")
        XCTAssertEqual(OutputComparison.differences(got: nudged, want: want, name: "frames.csv"), [])
        let moved = want.replacingOccurrences(of: "0.2134", with: "0.2154")
        XCTAssertEqual(OutputComparison.differences(got: moved, want: want, name: "frames.csv").count, 1)
        let shorter = want.replacingOccurrences(of: ",happy,", with: ",,")
        XCTAssertFalse(OutputComparison.differences(got: shorter, want: want, name: "frames.csv").isEmpty)
    }

    func testALabelMayChangeOnlyOnANearTie() {
        let tie = header + "\n5,0.209,0,0.0773,0.0241,0.0455,0.3826,0.3825,0.0229,0.0648,happy,0.3826\n"
        let flipped = tie.replacingOccurrences(of: "happy,0.3826", with: "sad,0.3826")
        XCTAssertEqual(OutputComparison.differences(got: flipped, want: tie, name: "frames.csv"), [])
        let clear = header + "\n5,0.209,0,0.0773,0.0241,0.0455,0.4836,0.2818,0.0229,0.0648,happy,0.4836\n"
        let wrong = clear.replacingOccurrences(of: "happy,0.4836", with: "sad,0.4836")
        XCTAssertFalse(OutputComparison.differences(got: wrong, want: clear, name: "frames.csv").isEmpty)
    }

    func testJSONLinesFollowTheSameRules() {
        let want =
            #"{"frame":0,"box":{"x":294.3},"probabilities":{"happy":0.3826,"sad":0.3825},"emotion":"happy","confidence":0.3826}"#
        let boxMoved = want.replacingOccurrences(of: "294.3", with: "294.4")
        XCTAssertEqual(OutputComparison.differences(got: boxMoved, want: want, name: "frames.jsonl"), [])
        let flipped = want.replacingOccurrences(of: #""emotion":"happy""#, with: #""emotion":"sad""#)
        XCTAssertEqual(OutputComparison.differences(got: flipped, want: want, name: "frames.jsonl"), [])
        let boxJumped = want.replacingOccurrences(of: "294.3", with: "296.3")
        XCTAssertEqual(OutputComparison.differences(got: boxJumped, want: want, name: "frames.jsonl").count, 1)
        let renamed = want.replacingOccurrences(of: #""frame""#, with: #""frames""#)
        XCTAssertEqual(OutputComparison.differences(got: renamed, want: want, name: "frames.jsonl").count, 1)
    }

    func testTimelineLeadingFlagsTradeOnlyOnATie() {
        let head = "track,subject,frame,time_s,emotion,probability,leading\n"
        let want = head + "1,1,0,0.000,happy,0.4000,1\n1,1,0,0.000,sad,0.3995,0\n"
        let traded = head + "1,1,0,0.000,happy,0.3998,0\n1,1,0,0.000,sad,0.3999,1\n"
        XCTAssertEqual(OutputComparison.differences(got: traded, want: want, name: "timeline.csv"), [])
        let clear = head + "1,1,0,0.000,happy,0.5000,1\n1,1,0,0.000,sad,0.3000,0\n"
        let wrong = head + "1,1,0,0.000,happy,0.5000,0\n1,1,0,0.000,sad,0.3000,1\n"
        XCTAssertFalse(OutputComparison.differences(got: wrong, want: clear, name: "timeline.csv").isEmpty)
    }
}
