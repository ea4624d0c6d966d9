import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// CenterFace in Swift against the original ONNX network run by ONNX Runtime (scripts/make_centerface_golden.py).
/// Tolerances: raw outputs 2e-3 absolute (float32 through 119 layers, values up to about 10); boxes and landmarks
/// 0.05 px, scores 1e-4.
final class CenterFaceGoldenTests: XCTestCase {
    struct Fixture: Decodable {
        struct Output: Decodable { let shape: [Int]; let data: [Float] }
        struct Face: Decodable { let score: Double; let box: [Double]; let landmarks: [Double] }
        struct Detections: Decodable { let rgb_sha256: String; let input_size: [Int]; let faces: [Face] }
        let raw: [String: Output]
        let detections: Detections
    }

    private let fixture = { try! TestMedia.json(Fixture.self, "MoodlineCoreTests", "centerface.json") }()
    private let detector = {
        try! ModelStore(folder: TestMedia.weights).faceDetector(DetectorSettings(model: .centerFace))
            as! CenterFaceDetector
    }()

    func testRawOutputsMatchONNXRuntime() {
        var values = [Float]()
        for y in 0..<64 {
            for x in 0..<96 {
                for c in 0..<3 {
                    let v = sin(0.05 * Double(x + 1) * Double(c + 1) + 0.07 * Double(y)) * cos(0.03 * Double(x * y))
                    values.append(Float(127.5 + 127.5 * v))
                }
            }
        }
        let outputs = detector.rawOutputs(Tensor(shape: [1, 64, 96, 3], data: values))
        XCTAssertEqual(Set(outputs.keys), ["heatmap", "scale", "offset", "landmarks"])
        for (name, want) in fixture.raw {
            let got = outputs[name]!
            XCTAssertEqual(got.shape, [1] + want.shape, name)
            let worst = zip(got.data, want.data).map { abs($0 - $1) }.max() ?? .infinity
            XCTAssertLessThan(worst, 2e-3, "\(name): max difference \(worst)")
        }
    }

    func testFacesInTheGroupPhotoMatchTheReferenceDecoding() throws {
        var decoded: PixelBuffer?
        _ = try MediaReader(path: TestMedia.multiFace).decodeFrames { decoded = $0.pixels }
        let frame = try XCTUnwrap(decoded)
        XCTAssertEqual(SHA256.hexDigest(frame.bytes), fixture.detections.rgb_sha256, "the same pixels as the reference")
        let size = CenterFaceDetector.inputSize(width: frame.width, height: frame.height)
        XCTAssertEqual([size.width, size.height], fixture.detections.input_size)
        let faces = try detector.detect(in: frame)
        XCTAssertEqual(faces.count, fixture.detections.faces.count)
        for (got, want) in zip(faces, fixture.detections.faces) {
            XCTAssertEqual(got.score, want.score, accuracy: 1e-4)
            for (a, b) in zip([got.box.x, got.box.y, got.box.width, got.box.height], want.box) {
                XCTAssertEqual(a, b, accuracy: 0.05)
            }
            let points = [
                got.rightEye, got.leftEye, got[.nose]!, got[CenterFaceDetector.rightMouthCorner]!,
                got[CenterFaceDetector.leftMouthCorner]!,
            ]
            for (k, point) in points.enumerated() {
                XCTAssertEqual(point.x, want.landmarks[2 * k], accuracy: 0.05)
                XCTAssertEqual(point.y, want.landmarks[2 * k + 1], accuracy: 0.05)
            }
            // The subject's right eye is on the image's left.
            XCTAssertLessThan(got.rightEye.x, got.leftEye.x)
        }
    }

    /// A frame over the memory budget is shrunk to fit it before it is read: the network's input stays within the
    /// budget in multiples of 32, and the faces come back in the frame's own pixels, where the whole picture finds
    /// them (the group photo, 667 000 pixels, read within 160 000: faces of about 40 px instead of 80).
    func testAFrameOverTheBudgetIsShrunkAndItsFacesComeBackInItsPixels() throws {
        var decoded: PixelBuffer?
        _ = try MediaReader(path: TestMedia.multiFace).decodeFrames { decoded = $0.pixels }
        let frame = try XCTUnwrap(decoded)
        let budgeted = try CenterFaceDetector(
            weights: ModelStore(folder: TestMedia.weights).manifest.open(CenterFaceDetector.weightsName),
            settings: DetectorSettings(model: .centerFace), maximumInputPixels: 160_000)
        let size = budgeted.inputSize(for: frame)
        XCTAssertLessThanOrEqual(size.width * size.height, 160_000)
        XCTAssertEqual([size.width % 32, size.height % 32], [0, 0])
        XCTAssertEqual(Double(size.width) / Double(size.height), 1000.0 / 667, accuracy: 0.05, "aspect kept")
        let whole = try detector.detect(in: frame), shrunk = try budgeted.detect(in: frame)
        XCTAssertEqual(shrunk.count, whole.count)
        for face in whole {
            let best = shrunk.map { $0.box.intersectionOverUnion(with: face.box) }.max() ?? 0
            XCTAssertGreaterThan(best, 0.7, "\(face.box)")
        }
        // The default budget leaves pictures up to 2048 x 2048 as they are.
        XCTAssertEqual(
            [
                CenterFaceDetector.inputSize(width: 2000, height: 2000).width,
                CenterFaceDetector.inputSize(width: 2000, height: 2000).height,
            ],
            [2016, 2016])
        let large = CenterFaceDetector.inputSize(width: 6000, height: 4000)
        XCTAssertLessThanOrEqual(large.width * large.height, CenterFaceDetector.defaultMaximumInputPixels)
        XCTAssertEqual([large.width, large.height], [2496, 1664])
        // Rounding up may not break the budget, nor may a side raised to 32.
        for (w, h) in [(2047, 2049), (100_000, 10), (1_000_000, 10), (10, 4_194_304), (1, 1)] {
            let size = CenterFaceDetector.inputSize(width: w, height: h)
            XCTAssertLessThanOrEqual(
                size.width * size.height, CenterFaceDetector.defaultMaximumInputPixels, "\(w)x\(h)")
            XCTAssertEqual([size.width % 32, size.height % 32], [0, 0])
            XCTAssertGreaterThanOrEqual(min(size.width, size.height), 32)
        }
    }

    /// A crowd made of the group photo: 16 copies at half size, 80 faces of about 45 px in a 2000 x 1336 picture.
    /// BlazeFace reads the picture at 192 px, where those faces are 4 px: none found. CenterFace finds them all.
    func testACrowdOfSmallFacesIsFoundWhereBlazeFaceFindsNone() throws {
        var decoded: PixelBuffer?
        _ = try MediaReader(path: TestMedia.multiFace).decodeFrames { decoded = $0.pixels }
        let tile = try XCTUnwrap(decoded).fitted(width: 500, height: 334)
        var bytes = [UInt8](repeating: 0, count: 2000 * 1336 * 3)
        for row in 0..<4 {
            for column in 0..<4 {
                for y in 0..<tile.height {
                    let from = y * tile.width * 3, to = ((row * 334 + y) * 2000 + column * 500) * 3
                    bytes.replaceSubrange(to..<(to + tile.width * 3), with: tile.bytes[from..<(from + tile.width * 3)])
                }
            }
        }
        let crowd = PixelBuffer(width: 2000, height: 1336, layout: .rgb, bytes: bytes)
        let faces = try detector.detect(in: crowd)
        XCTAssertEqual(faces.count, 80, "five faces in each of 16 copies")
        for row in 0..<4 {
            for column in 0..<4 {
                let copy = Box(x: Double(column * 500), y: Double(row * 334), width: 500, height: 334)
                XCTAssertEqual(faces.filter { copy.contains($0.box.centre) }.count, 5, "copy \(row), \(column)")
            }
        }
        let blazeFace = try ModelStore(folder: TestMedia.weights).faceDetector(DetectorSettings(model: .auto))
        XCTAssertEqual(try blazeFace.detect(in: crowd).count, 0)
    }

    func testTheRegistryOffersItAndATinyPictureHasNoFaces() throws {
        XCTAssertNotNil(ModelRegistry.detector(named: "centerface"))
        XCTAssertEqual(try detector.detect(in: PixelBuffer(width: 1, height: 1, layout: .rgb)), [])
        XCTAssertEqual(try detector.detect(in: PixelBuffer(width: 33, height: 7, layout: .rgb)), [])
    }
}
