import MoodlineCore
import MoodlineMedia
import XCTest

final class FaceAlignerTests: XCTestCase {
    private func face(rightEye: Point, leftEye: Point) -> DetectedFace {
        DetectedFace(
            box: Box(x: 0, y: 0, width: 100, height: 100), score: 1,
            rightEye: rightEye, leftEye: leftEye)
    }

    func testEyesLandOnTheirTargetPositions() throws {
        let aligner = FaceAligner(geometry: CropGeometry(sizePixels: 64, eyeDistance: 0.4, eyeLineY: 0.4))
        // A tilted face: the eye line rises 30 degrees.
        let right = Point(x: 200, y: 300), left = Point(x: 200 + 80 * cos(.pi / 6), y: 300 - 80 * sin(.pi / 6))
        let toSource = aligner.transform(for: face(rightEye: right, leftEye: left))
        let toCrop = try XCTUnwrap(toSource.inverse)
        let r = toCrop.apply(right), l = toCrop.apply(left)
        XCTAssertEqual(r.x, 32 - 0.2 * 64, accuracy: 1e-9)
        XCTAssertEqual(l.x, 32 + 0.2 * 64, accuracy: 1e-9)
        XCTAssertEqual(r.y, 0.4 * 64, accuracy: 1e-9)
        XCTAssertEqual(l.y, 0.4 * 64, accuracy: 1e-9)
        XCTAssertEqual(toSource.scale, 80 / (0.4 * 64), accuracy: 1e-9)
    }

    func testCropSamplesTheFaceRegion() {
        // A grey frame that is white left of x = 200 and black right of it; eyes level, centred on x = 200.
        var bytes = [UInt8](repeating: 0, count: 400 * 300)
        for y in 0..<300 { for x in 0..<200 { bytes[y * 400 + x] = 255 } }
        let frame = PixelBuffer(width: 400, height: 300, layout: .grey, bytes: bytes)
        let aligned = FaceAligner().align(
            face(rightEye: Point(x: 180, y: 150), leftEye: Point(x: 220, y: 150)), in: frame)
        let side = CropGeometry.standard.sizePixels
        XCTAssertEqual(aligned.crop.width, side)
        XCTAssertEqual(aligned.crop.pixel(x: 5, y: side / 2).first, 255)
        XCTAssertEqual(aligned.crop.pixel(x: side - 6, y: side / 2).first, 0)
    }

    func testDegenerateEyesFallBackToTheBox() {
        let same = Point(x: 50, y: 50)
        let map = FaceAligner().transform(for: face(rightEye: same, leftEye: same))
        let side = Double(CropGeometry.standard.sizePixels)
        let corner = map.apply(Point(x: 0, y: 0)), far = map.apply(Point(x: side, y: side))
        XCTAssertEqual(corner.x, 0, accuracy: 1e-9)
        XCTAssertEqual(far.x, 100, accuracy: 1e-9)
    }
}
