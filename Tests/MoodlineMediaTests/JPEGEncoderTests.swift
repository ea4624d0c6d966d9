import Foundation
import MoodlineMedia
import XCTest

/// Thumbnails encoded as JPEG with FFmpeg's encoder, read back by FFmpeg's decoder.
final class JPEGEncoderTests: XCTestCase {
    /// A smooth colour gradient, what a photo mostly is.
    private func gradient(width: Int, height: Int) -> PixelBuffer {
        var bytes: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                bytes += [UInt8(x * 255 / max(width - 1, 1)), UInt8(y * 255 / max(height - 1, 1)), 128]
            }
        }
        return PixelBuffer(width: width, height: height, layout: .rgb, bytes: bytes)
    }

    func testAThumbnailReadsBackCloseToItsPixels() throws {
        let picture = gradient(width: 97, height: 61)
        let jpeg = try JPEGEncoder.encode(picture)
        XCTAssertEqual(Array(jpeg.prefix(2)), [0xFF, 0xD8], "a JPEG's start marker")
        XCTAssertEqual(Array(jpeg.suffix(2)), [0xFF, 0xD9], "and its end marker")
        XCTAssertLessThan(jpeg.count, picture.bytes.count / 4, "smaller than the pixels by far")
        let back = try StillImageDecoder().decode(jpeg)
        XCTAssertEqual([back.width, back.height], [97, 61])
        let meanError =
            zip(picture.bytes, back.bytes).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) } / picture.bytes.count
        XCTAssertLessThanOrEqual(meanError, 4, "mean error per channel, of 255")
    }

    /// Odd and tiny sizes (4:2:0 halves odd sides up) and grey pictures encode and keep their size.
    func testOddTinyAndGreyPicturesEncode() throws {
        for (width, height) in [(1, 1), (67, 1), (1, 67), (3, 3), (321, 213)] {
            let back = try StillImageDecoder().decode(try JPEGEncoder.encode(gradient(width: width, height: height)))
            XCTAssertEqual([back.width, back.height], [width, height])
        }
        let grey = PixelBuffer(width: 16, height: 8, layout: .grey, fill: 200)
        let back = try StillImageDecoder().decode(try JPEGEncoder.encode(grey))
        XCTAssertEqual(Int(back.bytes[0]), 200, accuracy: 3)
    }

    /// Shrinking averages the pixels each new one covers.
    func testShrinkingAveragesAndKeepsTheAspect() {
        let picture = PixelBuffer(width: 4, height: 2, layout: .grey, bytes: [0, 100, 10, 10, 200, 100, 30, 50])
        let small = picture.shrunk(toFit: 2)
        XCTAssertEqual([small.width, small.height], [2, 1])
        XCTAssertEqual(small.bytes, [100, 25])
        XCTAssertEqual(picture.shrunk(toFit: 8), picture, "a picture that fits is left as it is")
        XCTAssertEqual(gradient(width: 2000, height: 1333).shrunk(toFit: 320).width, 320)
        XCTAssertEqual(gradient(width: 2000, height: 1333).shrunk(toFit: 320).height, 213)
    }
}
