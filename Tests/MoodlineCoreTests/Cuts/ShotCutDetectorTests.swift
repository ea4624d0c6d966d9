import MoodlineCore
import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// The difference measure and the cut decision on made-up pictures, where the answer is known.
final class ShotCutDetectorTests: XCTestCase {
    /// A signature whose thumbnail is `luma` at each cell's centre, and whose histogram is the thumbnail's.
    private func signature(_ luma: (Double, Double) -> Double) -> FrameSignature {
        let side = FrameSignature.side
        let thumbnail = (0..<side * side).map { cell in
            Float(min(255, max(0, luma(Double(cell % side), Double(cell / side)))))
        }
        var histogram = [Float](repeating: 0, count: FrameSignature.bins)
        for value in thumbnail { histogram[min(FrameSignature.bins - 1, Int(value) * FrameSignature.bins / 256)] += 1 }
        return FrameSignature(thumbnail: thumbnail, histogram: histogram.map { $0 / Float(thumbnail.count) })
    }

    /// A scene: smooth shapes that go on past the picture's edges, so a pan shows more of the same scene.
    private func scene(_ x: Double, _ y: Double) -> Double {
        128 + 60 * sin(0.45 * x + 0.2 * y) + 40 * cos(0.3 * y - 0.25 * x)
    }

    private func otherScene(_ x: Double, _ y: Double) -> Double {
        128 + 70 * cos(0.6 * y + 1) * sin(0.15 * x + 2) - 30 * sin(0.5 * x)
    }

    func testTheSamePictureDiffersByNothing() {
        let picture = signature(scene)
        XCTAssertEqual(picture.difference(from: picture), 0, accuracy: 1e-9)
    }

    func testBrightnessAndContrastChangesAreNoDifference() {
        // A flash: everything half as bright again, plus a lift.
        let flash = signature { self.scene($0, $1) * 1.3 + 20 }
        XCTAssertLessThan(flash.difference(from: signature(scene)), 0.02)
        XCTAssertGreaterThan(flash.histogramDistance(from: signature(scene)), 0.3, "the histogram alone would cut")
    }

    func testAPanOrAZoomIsAllowedFor() {
        let pan = signature { self.scene($0 + 2, $1 - 1) }
        XCTAssertLessThan(pan.difference(from: signature(scene)), 0.02)
        let centre = Double(FrameSignature.side - 1) / 2
        let zoom = signature { self.scene(($0 - centre) / 1.12 + centre, ($1 - centre) / 1.12 + centre) }
        XCTAssertLessThan(zoom.difference(from: signature(scene)), 0.02)
    }

    func testAnotherSceneDiffersByMoreThanTheThreshold() {
        let difference = signature(otherScene).difference(from: signature(scene))
        XCTAssertGreaterThan(difference, TrackSettings().cutThreshold)
        XCTAssertLessThanOrEqual(difference, 2)
    }

    func testFlatPicturesAreComparedByTheirHistograms() {
        let black = signature { _, _ in 0 }
        XCTAssertEqual(black.difference(from: black), 0)
        XCTAssertGreaterThan(signature(scene).difference(from: black), 1.5, "a picture after black is a new shot")
        XCTAssertGreaterThan(black.difference(from: signature(scene)), 1.5, "a cut to black")
    }

    func testSignatureOfARealPictureIsItsBlockMeans() {
        // Left half black, right half white, RGB: the thumbnail's left columns are 0 and its right 255.
        var bytes = [UInt8](repeating: 0, count: 64 * 32 * 3)
        for y in 0..<32 { for x in 32..<64 { for c in 0..<3 { bytes[(y * 64 + x) * 3 + c] = 255 } } }
        let picture = FrameSignature(of: PixelBuffer(width: 64, height: 32, layout: .rgb, bytes: bytes))
        XCTAssertEqual(picture.thumbnail[0], 0)
        XCTAssertEqual(picture.thumbnail[FrameSignature.side - 1], 255)
        XCTAssertEqual(picture.histogram[0], 0.5, accuracy: 1e-6)
        XCTAssertEqual(picture.histogram[FrameSignature.bins - 1], 0.5, accuracy: 1e-6)
        // A picture smaller than the thumbnail, and one pixel, still give a signature.
        let tiny = FrameSignature(of: PixelBuffer(width: 3, height: 1, layout: .grey, fill: 7))
        XCTAssertEqual(Set(tiny.thumbnail), [7])
        XCTAssertEqual(tiny.difference(from: tiny), 0)
    }

    func testACutIsAJumpAboveTheThresholdAndAboveTheShotsRecentDifferences() {
        var detector = ShotCutDetector(threshold: 0.35, ratio: 3)
        XCTAssertFalse(detector.decide(difference: 0.02))
        XCTAssertFalse(detector.decide(difference: 0.3), "below the threshold")
        XCTAssertTrue(detector.decide(difference: 0.5))
        // Shaky footage: differences around 0.2 for a while; 0.5 is not three times that, 0.8 is.
        for _ in 0..<5 { XCTAssertFalse(detector.decide(difference: 0.2)) }
        XCTAssertFalse(detector.decide(difference: 0.5))
        XCTAssertTrue(detector.decide(difference: 0.8))
        XCTAssertEqual(detector.lastDifference, 0.8)
    }

    func testFramesOfOneSceneAndACutToAnother() {
        var detector = ShotCutDetector(settings: TrackSettings())
        var cuts: [Int] = []
        for step in 0..<12 {
            // Panning across the first scene, then the second scene from frame 7.
            let shift = Double(step) * 0.7
            let picture =
                step < 7 ? signature { self.scene($0 + shift, $1) } : signature { self.otherScene($0 + shift, $1) }
            if detector.isCut(before: picture) { cuts.append(step) }
        }
        XCTAssertEqual(cuts, [7])
        detector.reset()
        XCTAssertFalse(detector.isCut(before: signature(scene)), "after a reset the first frame starts a shot")
    }
}
