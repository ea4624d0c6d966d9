import CFFmpeg
import Foundation
@testable import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// Mirrored pictures come out upright: all eight EXIF orientations, and videos whose display matrix mirrors them,
/// against an upright reference. (A left-right mirror was read as a half turn plus a mirror, so it was analysed
/// upside down, and EXIF 2 and 4 traded places.)
final class MirroredPictureTests: XCTestCase {
    /// FFmpeg's own matrices, `av_display_rotation_set` then `av_display_matrix_flip`: turn clockwise, then mirror.
    func testEveryDisplayMatrixGivesItsTurnAndMirror() {
        for degrees in [0, 90, 180, 270] {
            for mirrored in [false, true] {
                var matrix = [Int32](repeating: 0, count: 9)
                matrix.withUnsafeMutableBufferPointer { m in
                    av_display_rotation_set(m.baseAddress, Double(degrees))
                    av_display_matrix_flip(m.baseAddress, mirrored ? 1 : 0, 0)
                }
                let got = matrix.withUnsafeBufferPointer { MediaReader.orientation(displayMatrix: $0.baseAddress!) }
                XCTAssertEqual(
                    got, Orientation(clockwiseDegrees: degrees, mirrored: mirrored), "\(degrees)°, mirrored \(mirrored)"
                )
            }
        }
        // An upside-down mirror (vertical flip) is a half turn, then a left-right mirror.
        var vertical = [Int32](repeating: 0, count: 9)
        vertical.withUnsafeMutableBufferPointer { m in
            av_display_rotation_set(m.baseAddress, 0)
            av_display_matrix_flip(m.baseAddress, 0, 1)
        }
        XCTAssertEqual(
            vertical.withUnsafeBufferPointer { MediaReader.orientation(displayMatrix: $0.baseAddress!) },
            Orientation(clockwiseDegrees: 180, mirrored: true))
    }

    /// For EXIF 1-8: the upright photo stored as that tag says (FFmpeg's transpose filters undo each tag), read back.
    func testEveryExifOrientationIsReadUpright() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let upright = folder.appendingPathComponent("upright.jpg").path
        try TestProcess.ffmpeg(["-i", TestMedia.multiFace, "-vf", "scale=480:-2", "-q:v", "2", upright])
        let reference = try Self.decode(upright)
        // The filter that turns the upright picture into what a camera stores with each tag.
        let stored = [
            1: "null", 2: "hflip", 3: "hflip,vflip", 4: "vflip", 5: "transpose=0", 6: "transpose=2", 7: "transpose=3",
            8: "transpose=1",
        ]
        for (tag, filter) in stored.sorted(by: { $0.key < $1.key }) {
            let plain = folder.appendingPathComponent("stored-\(tag).jpg").path
            try TestProcess.ffmpeg(["-i", upright, "-vf", filter, "-q:v", "2", plain])
            let tagged = folder.appendingPathComponent("exif-\(tag).jpg").path
            try Self.withExifOrientation(tag, jpeg: Data(contentsOf: URL(fileURLWithPath: plain))).write(
                to: URL(fileURLWithPath: tagged))
            let reader = try MediaReader(path: tagged)
            XCTAssertEqual(reader.info.width, reference.width, "EXIF \(tag)")
            let picture = try Self.decode(tagged)
            XCTAssertEqual(picture.width, reference.width, "EXIF \(tag)")
            XCTAssertEqual(picture.height, reference.height, "EXIF \(tag)")
            // JPEG noise of one more encoding, against about 50 for a picture the wrong way round.
            XCTAssertLessThan(Self.meanDifference(picture, reference), 4, "EXIF \(tag)")
        }
    }

    /// A video stored mirrored, with a display matrix that mirrors it back (its track header's matrix patched).
    func testAMirroringDisplayMatrixGivesTheUprightVideo() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let upright = folder.appendingPathComponent("upright.mp4").path
        let mirrored = folder.appendingPathComponent("mirrored.mp4").path
        let common = ["-t", "0.5", "-an", "-c:v", "libx264", "-qp", "0", "-pix_fmt", "yuv444p"]
        try TestProcess.ffmpeg(["-i", TestMedia.pexels] + common + [upright])
        try TestProcess.ffmpeg(["-i", TestMedia.pexels, "-vf", "hflip"] + common + [mirrored])
        var data = try Data(contentsOf: URL(fileURLWithPath: mirrored))
        try Self.setMirroringMatrix(in: &data, width: 640)
        try data.write(to: URL(fileURLWithPath: mirrored))
        let reader = try MediaReader(path: mirrored)
        XCTAssertEqual(reader.info.rotationDegrees, 0)
        XCTAssertTrue(reader.info.mirrored)
        let picture = try Self.decode(mirrored), reference = try Self.decode(upright)
        XCTAssertEqual(picture.width, 640)
        XCTAssertLessThan(Self.meanDifference(picture, reference), 1)
    }

    // MARK: - Helpers

    private static func decode(_ path: String) throws -> PixelBuffer {
        var first: PixelBuffer?
        _ = try MediaReader(path: path).decodeFrames { frame in
            if first == nil { first = frame.pixels }
        }
        return try XCTUnwrap(first)
    }

    private static func meanDifference(_ a: PixelBuffer, _ b: PixelBuffer) -> Double {
        guard a.width == b.width, a.height == b.height, a.bytes.count == b.bytes.count else { return .infinity }
        let total = zip(a.bytes, b.bytes).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        return Double(total) / Double(a.bytes.count)
    }

    /// The JPEG with an EXIF segment (APP1, big-endian TIFF, one entry: Orientation) right after its start.
    static func withExifOrientation(_ value: Int, jpeg: Data) -> Data {
        var tiff: [UInt8] = Array("MM".utf8) + [0, 42, 0, 0, 0, 8, 0, 1]
        tiff += [0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, UInt8(value), 0, 0] // tag 0x112, SHORT, count 1, value
        tiff += [0, 0, 0, 0] // no next directory
        let payload: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        var bytes = [UInt8](jpeg)
        bytes.insert(contentsOf: segment, at: 2)
        return Data(bytes)
    }

    /// Writes a left-right mirror into the first track header's matrix (a = -1, x = width, both 16.16).
    private static func setMirroringMatrix(in data: inout Data, width: Int) throws {
        let bytes = [UInt8](data)
        let tkhd = Array("tkhd".utf8)
        guard let at = (0..<(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == tkhd }) else {
            throw XCTSkip("no track header in the test video")
        }
        let version = bytes[at + 4]
        // After the box type: version and flags (4), times, track ID, reserved and duration (20 or 32), reserved (8),
        // layer, group, volume and reserved (8); then the matrix a b u c d v x y w.
        let matrix = at + 4 + 4 + (version == 1 ? 32 : 20) + 8 + 8
        func put(_ value: Int32, at offset: Int) {
            let raw = UInt32(bitPattern: value)
            data.replaceSubrange(
                offset..<(offset + 4),
                with: [UInt8(raw >> 24), UInt8((raw >> 16) & 0xFF), UInt8((raw >> 8) & 0xFF), UInt8(raw & 0xFF)])
        }
        put(-0x10000, at: matrix)
        put(Int32(width) << 16, at: matrix + 24)
    }
}
