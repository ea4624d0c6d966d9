import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// The faces of embedder.json (scripts/make_embedder_golden.py: dlib's HOG detector, 5-point shape predictor,
/// `get_face_chip` and `compute_face_descriptor`, dlib-bin 20.0.1.post1) and the chips kept in embedder_chips.u8.
struct EmbedFixture: Decodable {
    struct Face: Decodable {
        let picture: String
        let frame: Int?
        /// The sha256 of the script's decoded RGB picture.
        let rgbSha256: String
        let box: [Double]
        /// dlib's 5 landmarks in pixel-index coordinates (pixel centres at integers).
        let landmarks: [[Double]]
        let descriptor: [Float]
        let chip: Int?

        /// The landmarks in Moodline's continuous coordinates (pixel centres at `i + 0.5`).
        var points: [Point] { landmarks.map { Point(x: $0[0] + 0.5, y: $0[1] + 0.5) } }
        var name: String { frame.map { "\(picture) frame \($0)" } ?? picture }
    }
    let chipSize: Int
    let faces: [Face]

    static func load() throws -> EmbedFixture {
        try TestMedia.json(EmbedFixture.self, "MoodlineCoreTests", "embedder.json")
    }

    /// dlib's chips, in `chip` order.
    func chips() throws -> [PixelBuffer] {
        let bytes = [UInt8](try Data(contentsOf: TestMedia.golden("MoodlineCoreTests", "embedder_chips.u8")))
        let size = chipSize * chipSize * 3
        XCTAssertEqual(bytes.count % size, 0)
        return (0..<(bytes.count / size)).map {
            PixelBuffer(
                width: chipSize, height: chipSize, layout: .rgb, bytes: Array(bytes[($0 * size)..<(($0 + 1) * size)]))
        }
    }

    /// The RGB picture a face was found in, checked to be the very pixels the script's ffmpeg tool decoded.
    static func picture(of face: Face) throws -> PixelBuffer {
        var pixels: PixelBuffer?
        let path = TestMedia.repositoryRoot.appendingPathComponent(face.picture).path
        _ = try MediaReader(path: path).decodeFrames(select: { face.frame == nil || $0.index == face.frame }) {
            if pixels == nil { pixels = $0.pixels }
        }
        let picture = try XCTUnwrap(pixels, "no frame in \(face.name)")
        XCTAssertEqual(SHA256.hexDigest(picture.bytes), face.rgbSha256, "\(face.name) decodes differently")
        return picture
    }
}
