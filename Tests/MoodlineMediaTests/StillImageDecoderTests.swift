import Foundation
import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// Pictures decoded from memory (the live page's camera frames) against the same files read by `MediaReader`, and
/// bytes that are not a picture, or too large a one.
final class StillImageDecoderTests: XCTestCase {
    private func fileDecode(_ path: String, layout: PixelLayout = .rgb) throws -> PixelBuffer {
        var pixels: PixelBuffer?
        let reader = try MediaReader(path: path, options: DecoderOptions(layout: layout, decodesPhotosReduced: false))
        _ = try reader.decodeFrames { pixels = $0.pixels }
        return try XCTUnwrap(pixels)
    }

    /// Same size and layout, and no byte further apart than `tolerance`; says where they differ, not every byte.
    private func assertSame(
        _ a: PixelBuffer, _ b: PixelBuffer, tolerance: Int = 0, _ what: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual([a.width, a.height], [b.width, b.height], what, file: file, line: line)
        XCTAssertEqual(a.layout, b.layout, what, file: file, line: line)
        let worst = zip(a.bytes, b.bytes).map { abs(Int($0) - Int($1)) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance, "\(what): bytes up to \(worst) apart", file: file, line: line)
    }

    private func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testJPEGAndPNGFromMemoryAreTheFileReadersPictures() throws {
        let decoder = try StillImageDecoder()
        // Alternating formats, and the same picture twice, through one decoder: each picture is independent of the
        // ones before (FFmpeg's PNG decoder is not, within one codec context).
        for path in [
            TestMedia.multiFace, TestMedia.astronaut, TestMedia.multiFace, TestMedia.astronaut, TestMedia.astronaut,
        ] {
            assertSame(try decoder.decode(bytes(path)), try fileDecode(path), path)
        }
        // The file reader makes grey from its own conversion path; the two agree to within rounding.
        assertSame(
            try decoder.decode(bytes(TestMedia.astronaut), layout: .grey),
            try fileDecode(TestMedia.astronaut, layout: .grey),
            tolerance: 3, "grey")
    }

    func testOutputSideScalesDownKeepingTheAspect() throws {
        let picture = try StillImageDecoder().decode(bytes(TestMedia.multiFace), outputSide: 500)
        let full = try fileDecode(TestMedia.multiFace)
        XCTAssertEqual(picture.width, 500)
        XCTAssertEqual(picture.height, Int((Double(full.height) * 500 / Double(full.width)).rounded()))
    }

    func testOddSizesAndGreyJPEGs() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let decoder = try StillImageDecoder()
        for (size, filter) in [
            ("1x1", ""), ("3x3", ""), ("67x1", ""), ("131x97", ",format=gray"), ("97x61", ",format=rgba"),
        ] {
            let w = Int(size.split(separator: "x")[0])!, h = Int(size.split(separator: "x")[1])!
            let path = folder.appendingPathComponent("\(size).\(filter.contains("rgba") ? "png" : "jpg")").path
            try TestProcess.ffmpeg([
                "-i", TestMedia.multiFace, "-vf", "scale=\(w):\(h)\(filter)", "-frames:v", "1", path,
            ])
            let picture = try decoder.decode(bytes(path))
            XCTAssertEqual([picture.width, picture.height], [w, h], path)
            assertSame(picture, try fileDecode(path), path)
        }
    }

    func testBytesThatAreNotAPictureAreRefusedWithTheReason() throws {
        let decoder = try StillImageDecoder(name: "live frame")
        for (bytes, code) in [
            ([UInt8](), MediaError.Code.unrecognisedFormat), (Array("GIF89a".utf8), .unrecognisedFormat),
            ([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3], .damagedStream),
            ([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], .damagedStream),
        ] {
            XCTAssertThrowsError(try decoder.decode(bytes), "\(bytes)") { error in
                XCTAssertEqual((error as? MediaError)?.code, code, "\(error)")
                XCTAssertEqual((error as? MediaError)?.path, "live frame")
            }
        }
        // A truncated JPEG is refused (FFmpeg would decode it without an error, the rest left blank).
        let whole = try bytes(TestMedia.multiFace)
        let full = try fileDecode(TestMedia.multiFace)
        for cut in [10, 200, whole.count / 2, whole.count - 2] {
            XCTAssertThrowsError(try decoder.decode(Array(whole.prefix(cut))), "cut at \(cut)") { error in
                XCTAssertEqual((error as? MediaError)?.code, .damagedStream, "\(error)")
            }
        }
        // Data after the end (a Motion Photo's video) is not damage.
        assertSame(try decoder.decode(whole + [0, 0, 0, 0x18] + Array("ftypmp42".utf8)), full, "trailing data")
        assertSame(try decoder.decode(whole), full, "the decoder still works after bad input")
    }

    func testAPictureOverTheSizeLimitIsRefused() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let path = folder.appendingPathComponent("wide.png").path
        try TestProcess.ffmpeg(["-f", "lavfi", "-i", "color=c=gray:s=2100x8", "-frames:v", "1", path])
        XCTAssertThrowsError(try StillImageDecoder(maximumSide: 2000).decode(bytes(path))) { error in
            XCTAssertEqual((error as? MediaError)?.code, .imageTooLarge, "\(error)")
        }
        XCTAssertEqual(try StillImageDecoder(maximumSide: 2100).decode(bytes(path)).width, 2100)
    }
}
