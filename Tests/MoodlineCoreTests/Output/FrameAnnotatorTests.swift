import MoodlineMedia
import XCTest

@testable import MoodlineCore

/// What the annotated video draws on a frame, read back from the pixels.
final class FrameAnnotatorTests: XCTestCase {
    private let happy = FrameAnnotator.colours[Emotion.happy.index]

    private func blank() -> PixelBuffer { PixelBuffer(width: 640, height: 360, layout: .rgb, fill: 128) }

    private func rgb(_ picture: PixelBuffer, _ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        let p = picture.pixel(x: x, y: y)
        return (p[p.startIndex], p[p.startIndex + 1], p[p.startIndex + 2])
    }

    private func isColour(_ picture: PixelBuffer, _ x: Int, _ y: Int, _ c: (UInt8, UInt8, UInt8)) -> Bool {
        rgb(picture, x, y) == c
    }

    /// A certain reading's box is a solid line in its emotion's colour; an uncertain one is dashed grey.
    func testAnUncertainReadingIsDashedGrey() {
        let box = Box(x: 200, y: 100, width: 200, height: 150)
        var solid = blank()
        FrameAnnotator.draw([.init(box: box, label: "T1 happy 0.90", colour: happy)], on: &solid)
        let bottom = 251 // inside the bottom edge's line (2 px below y1 = 250)
        let solidRun = (200..<400).filter { isColour(solid, $0, bottom, happy) }.count
        XCTAssertEqual(solidRun, 200, "a solid edge")

        var dashed = blank()
        let grey = FrameAnnotator.uncertainColour
        FrameAnnotator.draw([.init(box: box, label: "T1 happy 0.41?", colour: grey, dashed: true)], on: &dashed)
        let inked = (200..<400).filter { isColour(dashed, $0, bottom, grey) }.count
        XCTAssertGreaterThan(inked, 80)
        XCTAssertLessThan(inked, 120, "about half the edge: dashes with gaps as long")
        XCTAssertFalse((200..<400).contains { isColour(dashed, $0, bottom, happy) })
    }

    /// The seven probabilities as bars beside the box, each as long as its probability.
    func testBarsShowEachProbability() {
        let probabilities: [Float] = [0, 0, 0, 0.75, 0.25, 0, 0]
        var picture = blank()
        let box = Box(x: 100, y: 100, width: 100, height: 100)
        FrameAnnotator.draw(
            [.init(box: box, label: "T1 happy 0.75", colour: happy, probabilities: probabilities)], on: &picture)
        // The bars start right of the box's right edge (x 200, line 2 px): find the happy bar's row and length.
        let rows = (100..<200).filter { y in (202..<300).contains { isColour(picture, $0, y, happy) } }
        XCTAssertFalse(rows.isEmpty, "a happy bar")
        let happyLength = (202..<400).filter { isColour(picture, $0, rows[0], happy) }.count
        let sad = FrameAnnotator.colours[Emotion.sad.index]
        let sadRow = try? XCTUnwrap((100..<200).first { y in (202..<300).contains { isColour(picture, $0, y, sad) } })
        let sadLength = sadRow.map { y in (202..<400).filter { isColour(picture, $0, y, sad) }.count } ?? 0
        XCTAssertEqual(Double(happyLength) / Double(max(sadLength, 1)), 3, accuracy: 0.3, "0.75 is three times 0.25")
    }

    /// Every frame names the colours at the bottom left and gives its time at the top left.
    func testTheLegendAndTheTimeAreDrawnOnEveryFrame() {
        var picture = blank()
        FrameAnnotator.draw([], on: &picture, seconds: 83.45)
        let angry = FrameAnnotator.colours[Emotion.angry.index]
        let legendRows = (340..<360).filter { y in (0..<20).contains { isColour(picture, $0, y, angry) } }
        XCTAssertFalse(legendRows.isEmpty, "the first swatch, angry, at the bottom left")
        for emotion in Emotion.allCases {
            let colour = FrameAnnotator.colours[emotion.index]
            XCTAssertTrue(
                (0..<640).contains { x in legendRows.contains { isColour(picture, x, $0, colour) } }, "\(emotion)")
        }
        // The time: white text on a dark box at the top left, and nothing of it without a time.
        XCTAssertTrue((0..<120).contains { x in (0..<20).contains { isColour(picture, x, $0, (255, 255, 255)) } })
        var untimed = blank()
        FrameAnnotator.draw([], on: &untimed)
        XCTAssertFalse((0..<120).contains { x in (0..<20).contains { isColour(untimed, x, $0, (255, 255, 255)) } })
    }
}
