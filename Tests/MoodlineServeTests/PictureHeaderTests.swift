import Foundation
import MoodlineTestSupport
import XCTest

@testable import MoodlineServe

/// Picture sizes read from headers alone, and the budget that pictures in flight share.
final class PictureHeaderTests: XCTestCase {
    private func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testJPEGAndPNGSizesComeFromTheirHeaders() throws {
        XCTAssertEqual(PictureHeader.read(try bytes(TestMedia.multiFace)), PictureHeader(width: 1000, height: 667, bytesPerPixel: 3))
        XCTAssertEqual(PictureHeader.read(try bytes(TestMedia.astronaut)), PictureHeader(width: 512, height: 512, bytesPerPixel: 3))
        XCTAssertEqual(MediaCheck.header(ofFile: TestMedia.multiFace)?.width, 1000, "read from a file a few bytes at a time")
        XCTAssertNil(PictureHeader.read(Array("GIF89a".utf8)))
        XCTAssertNil(PictureHeader.read([0xFF, 0xD8, 0xFF]), "cut short")
        XCTAssertNil(PictureHeader.read(Array(try bytes(TestMedia.multiFace).prefix(100))), "a JPEG cut before its frame header")
    }

    func testACraftedPNGDeclaringAHugePictureIsSeenForWhatItIs() {
        // Signature, then IHDR: 14000x14000, 16 bits, RGBA; nothing after it is needed.
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        png += [0, 0, 0x36, 0xB0, 0, 0, 0x36, 0xB0, 16, 6, 0, 0, 0]
        let header = PictureHeader.read(png)
        XCTAssertEqual(header, PictureHeader(width: 14000, height: 14000, bytesPerPixel: 8))
        XCTAssertEqual(header?.decodedBytes, 14000 * 14000 * 8)
        let absurd = PictureHeader(width: Int(Int32.max), height: Int(Int32.max), bytesPerPixel: 8)
        XCTAssertEqual(absurd.decodedBytes, .max, "saturates rather than overflows")
    }

    func testTheBudgetRefusesWhatDoesNotFitAndTakesItBackOnRelease() {
        let budget = PictureBudget(capacity: 100)
        XCTAssertTrue(budget.reserve(60))
        XCTAssertFalse(budget.reserve(50))
        XCTAssertTrue(budget.reserve(40))
        budget.release(60)
        XCTAssertTrue(budget.reserve(50))
        XCTAssertEqual(budget.inUse, 90)
        XCTAssertFalse(budget.reserve(.max))
    }
}
