import Foundation
import MoodlineCore
import MoodlineTestSupport
@testable import moodline
import Synchronization
import XCTest

/// Two inputs running at once (`--jobs 2`): on a terminal each has its own line, numbered in the batch; plain
/// lines stay one per event and carry the number too.
final class ProgressRendererTests: XCTestCase {
    private let inputs = ["a.mp4", "b.mp4", "c.mp4"].map {
        PlannedInput(source: .video(path: "/clips/\($0)"), path: "clips/\($0)", outputName: String($0.dropLast(4)))
    }

    /// Writes, and a clock the test moves.
    private final class Capture: Sendable {
        let text = Mutex("")
        let seconds = Mutex(0.0)
        func renderer(terminal: Bool) -> ProgressRenderer {
            ProgressRenderer(
                quiet: false, isTerminal: terminal, columns: 100,
                now: { Date(timeIntervalSince1970: self.seconds.withLock { $0 }) },
                write: { chunk in self.text.withLock { $0 += chunk } })
        }
        func tick() { seconds.withLock { $0 += 1 } }
    }

    /// Feeds a and b interleaved, frame by frame, then finishes a.
    private func interleave(_ renderer: ProgressRenderer, _ capture: Capture) {
        renderer.batchPlanned(inputs)
        renderer.inputStarted(inputs[0], expectedFrames: 10, alreadyDone: 0)
        renderer.inputStarted(inputs[1], expectedFrames: 4, alreadyDone: 0)
        for done in 1...2 {
            capture.tick()
            renderer.framesCompleted(inputs[0], done: done)
            capture.tick()
            renderer.framesCompleted(inputs[1], done: done)
        }
        renderer.problem(
            inputs[1],
            InputProblem(file: "clips/b.mp4", frame: 3, code: .media(.damagedStream), message: "damaged data"))
        var outcome = InputOutcome(outputFolder: "out/a")
        outcome.status = .failed
        renderer.inputFinished(inputs[0], outcome: outcome)
    }

    func testATerminalShowsOneLinePerRunningInputWithItsPlaceInTheBatch() {
        let capture = Capture()
        let renderer = capture.renderer(terminal: true)
        renderer.batchPlanned(inputs)
        renderer.inputStarted(inputs[0], expectedFrames: 10, alreadyDone: 0)
        renderer.inputStarted(inputs[1], expectedFrames: 4, alreadyDone: 0)
        capture.tick()
        renderer.framesCompleted(inputs[0], done: 2)
        capture.tick()
        renderer.framesCompleted(inputs[1], done: 1)
        XCTAssertEqual(
            Screen(capture.text.withLock { $0 }).lines,
            [
                "[input 1 of 3] a [######                        ] 2/10  1.0 frames/s  0:08 left",
                "[input 2 of 3] b [#######                       ] 1/4  0.5 frames/s  0:06 left",
            ])
        // The last redraw went up over both lines and cleared them, then drew both again.
        XCTAssertTrue(
            capture.text.withLock { $0 }.hasSuffix(
                "\r\u{1B}[2A\u{1B}[J[input 1 of 3] a [######                        ] 2/10  1.0 frames/s  0:08 left\n"
                    + "[input 2 of 3] b [#######                       ] 1/4  0.5 frames/s  0:06 left\n"))

        var outcome = InputOutcome(outputFolder: "out/a")
        outcome.status = .failed
        renderer.inputFinished(inputs[0], outcome: outcome)
        // The finished input's message goes above; the one still running keeps its line below.
        XCTAssertEqual(
            Screen(capture.text.withLock { $0 }).lines,
            [
                "[input 1 of 3] clips/a.mp4: failed, 2 frames, 1.0 frames/s -> out/a",
                "[input 2 of 3] b [#######                       ] 1/4  0.5 frames/s  0:06 left",
            ])
    }

    func testPlainLinesAreOnePerEventAndCarryThePlaceInTheBatch() {
        let capture = Capture()
        interleave(capture.renderer(terminal: false), capture)
        let text = capture.text.withLock { $0 }
        XCTAssertFalse(text.contains("\u{1B}"), "no escapes when not a terminal")
        XCTAssertEqual(
            text.split(separator: "\n"),
            [
                "[input 1 of 3] clips/a.mp4: started, about 10 frames to analyse",
                "[input 2 of 3] clips/b.mp4: started, about 4 frames to analyse",
                "[input 1 of 3] clips/a.mp4: 10% (1/10 frames, 1.0 frames/s)",
                "[input 2 of 3] clips/b.mp4: 20% (1/4 frames, 0.5 frames/s)",
                "[input 1 of 3] clips/a.mp4: 20% (2/10 frames, 0.7 frames/s)",
                "[input 2 of 3] clips/b.mp4: 50% (2/4 frames, 0.5 frames/s)",
                "[input 2 of 3] error: clips/b.mp4 (frame 3): damaged data",
                "[input 1 of 3] clips/a.mp4: failed, 2 frames, 0.5 frames/s -> out/a",
            ])
    }

    func testASingleInputIsNotNumbered() {
        let capture = Capture()
        let renderer = capture.renderer(terminal: false)
        renderer.batchPlanned([inputs[0]])
        renderer.inputStarted(inputs[0], expectedFrames: nil, alreadyDone: 0)
        XCTAssertEqual(capture.text.withLock { $0 }, "clips/a.mp4: started\n")
    }
}

/// What a terminal shows after some output: text, `\r`, `\n`, and the escapes the renderer uses (cursor up
/// `ESC[nA`, clear to the end of the line `ESC[K` or of the screen `ESC[J`).
private struct Screen {
    private(set) var rows: [String] = [""]
    private var row = 0

    init(_ output: String) {
        var characters = Array(output)[...]
        while let character = characters.popFirst() {
            switch character {
            case "\r": break // always followed by a clear here
            case "\n":
                row += 1
                if row == rows.count { rows.append("") }
            case "\u{1B}":
                _ = characters.popFirst() // [
                let digits = String(characters.prefix { $0.isNumber })
                characters = characters.dropFirst(digits.count)
                switch characters.popFirst() {
                case "A": row = max(0, row - (Int(digits) ?? 1))
                case "J": rows = Array(rows.prefix(row)) + [""]
                default: rows[row] = "" // K: the renderer clears whole lines only
                }
            default: rows[row].append(character)
            }
        }
    }

    /// The lines with something on them.
    var lines: [String] { rows.filter { !$0.isEmpty } }
}
