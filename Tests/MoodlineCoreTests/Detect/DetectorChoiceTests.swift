import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// `detector.model`: `auto` finds faces in a scene and faces that fill the picture; `whole_image` takes the picture.
final class DetectorChoiceTests: XCTestCase {
    private let store = { try! ModelStore(folder: TestMedia.weights) }()

    private func samplePhoto(_ path: String) throws -> PixelBuffer {
        var frame: PixelBuffer?
        _ = try MediaReader(path: path).decodeFrames { frame = $0.pixels }
        return try XCTUnwrap(frame)
    }

    /// Square crops around each face of the multi-face sample: the face's box grown by `padding` of its side on
    /// every side, resampled to `side` pixels, as face data sets are cut.
    private func tightCrops(padding: Double, side: Int) throws -> [PixelBuffer] {
        let photo = try samplePhoto(TestMedia.multiFace)
        let faces = try store.faceDetector(DetectorSettings(model: .auto)).detect(in: photo)
        XCTAssertEqual(faces.count, 5)
        return faces.map { face in
            let extent = max(face.box.width, face.box.height) * (1 + 2 * padding)
            let centre = face.box.centre
            let scale = extent / Double(side)
            let map = AffineTransform.scaleThenTranslate(
                scale: scale, tx: centre.x - extent / 2, ty: centre.y - extent / 2)
            return BilinearSampler.sample(photo, width: side, height: side, outputToSource: map, fill: 0)
        }
    }

    func testAutoFindsEveryTightlyCroppedFaceAndStillFiveInTheGroupPhoto() throws {
        let auto = try store.faceDetector(DetectorSettings(model: .auto))
        let fullRange = try store.faceDetector(DetectorSettings(model: .fullRange))
        var fullRangeFound = 0, crops = 0
        for padding in [0.0, 0.15, 0.4] {
            for side in [48, 160] {
                for (index, crop) in try tightCrops(padding: padding, side: side).enumerated() {
                    crops += 1
                    // The face cropped is found: a face whose box centre lies near the crop's centre (with a wide
                    // margin a neighbour in the group photo may be found too).
                    func isTheCroppedFace(_ face: DetectedFace) -> Bool {
                        abs(face.box.centre.x / Double(side) - 0.5) < 0.15
                            && abs(face.box.centre.y / Double(side) - 0.5) < 0.15
                    }
                    XCTAssertTrue(
                        try auto.detect(in: crop).contains(where: isTheCroppedFace),
                        "face \(index), padding \(padding), \(side) px")
                    if try fullRange.detect(in: crop).contains(where: isTheCroppedFace) { fullRangeFound += 1 }
                }
            }
        }
        // The reason for `auto`: full range alone misses many faces that fill the picture.
        XCTAssertLessThan(fullRangeFound, crops)
        XCTAssertEqual(try auto.detect(in: samplePhoto(TestMedia.multiFace)).count, 5)
    }

    func testWholeImageTakesThePictureAsOneFaceAndTheAlignerFitsIt() throws {
        let photo = try samplePhoto(TestMedia.multiFace)
        let faces = try store.faceDetector(DetectorSettings(model: .wholeImage)).detect(in: photo)
        XCTAssertEqual(faces.count, 1)
        XCTAssertEqual(faces[0].box, Box(x: 0, y: 0, width: Double(photo.width), height: Double(photo.height)))
        let aligned = FaceAligner().align(faces[0], in: photo)
        // The longer side fills the crop: its corners map to the picture's.
        let side = Double(CropGeometry.standard.sizePixels)
        let longer = Double(max(photo.width, photo.height))
        let corner = aligned.cropToSource.apply(Point(x: side, y: side))
        XCTAssertEqual(corner.x - aligned.cropToSource.apply(Point(x: 0, y: 0)).x, longer, accuracy: 1e-6)
        XCTAssertEqual(
            aligned.cropToSource.apply(Point(x: side / 2, y: side / 2)).x, Double(photo.width) / 2, accuracy: 1e-6)
    }
}
