import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// BlazeFace in Swift against the upstream TFLite models run by LiteRT (scripts/make_golden.py).
final class FaceDetectorGoldenTests: XCTestCase {
    struct RawFixture: Decodable {
        struct Model: Decodable {
            let size: Int
            let anchors: Int
            let top_anchors: [Int]
            let top_regressors: [[Float]]
            let top_logits: [Float]
            let regressor_sum: Double
            let logit_sum: Double
        }
        let models: [String: Model]
    }

    struct DetectionFixture: Decodable {
        struct Face: Decodable { let score: Double; let box: [Double]; let keypoints: [Double] }
        struct Image: Decodable { let rgb_sha256: String; let faces: [Face] }
        let models: [String: [String: Image]]
    }

    private let store = { try! ModelStore(folder: TestMedia.weights) }()

    private func detector(_ key: String) throws -> BlazeFaceDetector {
        try store.blazeFace(key == "full" ? .fullRange : .shortRange)
    }

    /// The synthetic input both sides compute: sin(0.05(x+1)(c+1) + 0.07y) · cos(0.03xy).
    private func syntheticInput(_ size: Int) -> Tensor {
        var values = [Float]()
        for y in 0..<size {
            for x in 0..<size {
                for c in 0..<3 {
                    values.append(
                        Float(sin(0.05 * Double(x + 1) * Double(c + 1) + 0.07 * Double(y)) * cos(0.03 * Double(x * y))))
                }
            }
        }
        return Tensor(shape: [1, size, size, 3], data: values)
    }

    func testRawOutputsMatchTFLite() throws {
        let fixture = try TestMedia.json(RawFixture.self, "MoodlineCoreTests", "blazeface_raw.json")
        for key in ["short", "full"] {
            let expected = try XCTUnwrap(fixture.models[key])
            let (regressors, logits) = try detector(key).rawOutputs(syntheticInput(expected.size))
            XCTAssertEqual(regressors.shape, [1, expected.anchors, 16], key)
            XCTAssertEqual(logits.shape, [1, expected.anchors, 1], key)
            // Tolerances: logits 1e-3, regressors (in input pixels, up to ~100) 2e-3; the model's weights are fp16
            // and TFLite accumulates in a different order.
            for (rank, anchor) in expected.top_anchors.enumerated() {
                XCTAssertEqual(
                    logits.data[anchor], expected.top_logits[rank], accuracy: 1e-3, "\(key) anchor \(anchor)")
                for v in 0..<16 {
                    XCTAssertEqual(
                        regressors.data[anchor * 16 + v], expected.top_regressors[rank][v], accuracy: 2e-3,
                        "\(key) anchor \(anchor) value \(v)")
                }
            }
            XCTAssertEqual(logits.data.reduce(0) { $0 + Double($1) }, expected.logit_sum, accuracy: 0.05, key)
            XCTAssertEqual(regressors.data.reduce(0) { $0 + Double($1) }, expected.regressor_sum, accuracy: 0.5, key)
        }
    }

    func testDetectionsOnSampleImagesMatchUpstream() throws {
        let fixture = try TestMedia.json(DetectionFixture.self, "MoodlineCoreTests", "detections.json")
        for key in ["short", "full"] {
            let detector = try detector(key)
            for (sample, expected) in try XCTUnwrap(fixture.models[key]).sorted(by: { $0.key < $1.key }) {
                var frame: PixelBuffer?
                _ = try MediaReader(path: TestMedia.samples.appendingPathComponent(sample).path).decodeFrames {
                    frame = $0.pixels
                }
                let pixels = try XCTUnwrap(frame)
                // Both sides must start from identical pixels (FFmpeg decodes for both).
                XCTAssertEqual(SHA256.hexDigest(pixels.bytes), expected.rgb_sha256, "\(sample) decodes differently")
                let faces = try detector.detect(in: pixels)
                XCTAssertEqual(faces.count, expected.faces.count, "\(key) \(sample)")
                // Boxes and keypoints within 1 px in source pixels, scores within 1e-3 (the tolerances).
                for (face, want) in zip(faces, expected.faces) {
                    XCTAssertEqual(face.score, want.score, accuracy: 1e-3, "\(key) \(sample)")
                    let box = [face.box.x, face.box.y, face.box.width, face.box.height]
                    for (got, exp) in zip(box, want.box) {
                        XCTAssertEqual(got, exp, accuracy: 1, "\(key) \(sample) box")
                    }
                    let points = face.orderedLandmarks.flatMap { [$0.point.x, $0.point.y] }
                    for (got, exp) in zip(points, want.keypoints) {
                        XCTAssertEqual(got, exp, accuracy: 1, "\(key) \(sample) keypoint")
                    }
                }
            }
        }
    }

    func testFullRangeFindsFiveFacesInTheGroupPhoto() throws {
        var frame: PixelBuffer?
        _ = try MediaReader(path: TestMedia.multiFace).decodeFrames { frame = $0.pixels }
        let faces = try detector("full").detect(in: XCTUnwrap(frame))
        XCTAssertEqual(faces.count, 5)
        XCTAssertTrue(faces.allSatisfy { $0.score > 0.75 })
        // The subject's right eye is on the image's left.
        XCTAssertTrue(faces.allSatisfy { $0.rightEye.x < $0.leftEye.x && $0[.nose] != nil })
    }

    /// Detecting in a square region reads the same pixels as detecting in that square cut out: the same faces,
    /// shifted by the square's corner (bilinear sampling at the same points; float rounding only).
    func testARegionReadsAsItsSquareCutOut() throws {
        var decoded: PixelBuffer?
        _ = try MediaReader(path: TestMedia.multiFace).decodeFrames { decoded = $0.pixels }
        let frame = try XCTUnwrap(decoded)
        let short = try detector("short")
        let full = try detector("full").detect(in: frame)
        XCTAssertEqual(full.count, 5)
        let face = full[0].box
        let side = (2 * max(face.width, face.height)).rounded()
        let (x0, y0) = (Int((face.centre.x - side / 2).rounded()), Int((face.centre.y - side / 2).rounded()))
        let n = Int(side)
        var bytes = [UInt8](repeating: 0, count: n * n * 3)
        for y in 0..<n {
            for x in 0..<n where (0..<frame.width).contains(x0 + x) && (0..<frame.height).contains(y0 + y) {
                for c in 0..<3 { bytes[(y * n + x) * 3 + c] = frame.bytes[((y0 + y) * frame.width + x0 + x) * 3 + c] }
            }
        }
        let cut = try short.detect(in: PixelBuffer(width: n, height: n, layout: .rgb, bytes: bytes))
        let region = try short.detect(
            in: frame, region: Box(x: Double(x0), y: Double(y0), width: side, height: side))
        XCTAssertEqual(region.count, 1, "one face fills half the square")
        XCTAssertEqual(region.count, cut.count)
        for (a, b) in zip(region, cut) {
            XCTAssertEqual(a.score, b.score, accuracy: 1e-5)
            XCTAssertEqual(a.box.x, b.box.x + Double(x0), accuracy: 1e-3)
            XCTAssertEqual(a.box.y, b.box.y + Double(y0), accuracy: 1e-3)
            XCTAssertEqual(a.box.width, b.box.width, accuracy: 1e-3)
            XCTAssertEqual(a.leftEye.x, b.leftEye.x + Double(x0), accuracy: 1e-3)
            XCTAssertEqual(a.leftEye.y, b.leftEye.y + Double(y0), accuracy: 1e-3)
        }
        // And it is the face the whole-frame search found.
        XCTAssertGreaterThan(region[0].box.intersectionOverUnion(with: face), 0.6)
    }

    func testMinimumScoreAndFaceSizeFilter() throws {
        var frame: PixelBuffer?
        _ = try MediaReader(path: TestMedia.multiFace).decodeFrames { frame = $0.pixels }
        let pixels = try XCTUnwrap(frame)
        let all = try detector("full").detect(in: pixels)
        let strict = try store.faceDetector(DetectorSettings(model: .fullRange, minimumScore: 0.9)).detect(in: pixels)
        XCTAssertEqual(strict.count, all.filter { $0.score >= 0.9 }.count)
        let largest = all.map { max($0.box.width, $0.box.height) }.max()!
        // The size filter has one place, the analyser, which knows the analysed frame's scale.
        let analyser = FrameAnalyzer(
            detector: try detector("full"), aligner: FaceAligner(geometry: .standard),
            classifier: try store.emotionClassifier(), minimumFaceSizePixels: largest)
        let sampled = SampledFrame(
            stamp: FrameStamp(sequence: 0, index: 0, timeSeconds: 0), pixels: pixels, scaleToSource: 1)
        XCTAssertEqual(analyser.analyse(sampled).faces.count, 1)
        var halfSize: DecodedFrame?
        // Scaled by the converter, not decoded at half size, so the faces are the full-size ones scaled.
        _ = try MediaReader(
            path: TestMedia.multiFace, options: DecoderOptions(maximumSide: 500, decodesPhotosReduced: false)
        )
        .decodeFrames { halfSize = $0 }
        let small = try XCTUnwrap(halfSize)
        let scaled = SampledFrame(
            stamp: FrameStamp(sequence: 0, index: 0, timeSeconds: 0), pixels: small.pixels,
            scaleToSource: small.scaleToSource)
        // At half size every face is under `largest` in analysed pixels; measured in source pixels, the big ones stay.
        let kept = analyser.analyse(scaled).faces
        XCTAssertGreaterThanOrEqual(kept.count, 1, "the size is measured in source pixels")
        XCTAssertTrue(kept.allSatisfy { max($0.detection.box.width, $0.detection.box.height) >= largest })
    }

    func testAnchorsFollowMediaPipe() {
        XCTAssertEqual(BlazeFaceVariant.shortRange.anchors.count, 896)
        XCTAssertEqual(BlazeFaceVariant.fullRange.anchors.count, 2304)
        let short = BlazeFaceVariant.shortRange.anchors
        XCTAssertEqual(short[0], Point(x: 0.5 / 16, y: 0.5 / 16))
        XCTAssertEqual(short[1], short[0], "two anchors per cell on the 16x16 grid")
        XCTAssertEqual(short[512], Point(x: 0.5 / 8, y: 0.5 / 8), "the 8x8 grid starts after 16x16x2")
        XCTAssertEqual(BlazeFaceVariant.fullRange.anchors[49], Point(x: 1.5 / 48, y: 1.5 / 48))
    }
}
