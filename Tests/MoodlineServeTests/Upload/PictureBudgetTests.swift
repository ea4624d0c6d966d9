import Foundation
import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// What the server judges an upload or a live frame by before decoding it: the size its header declares, and
/// the budget pictures in flight share (refused as busy, not waited for).
final class PictureBudgetTests: XCTestCase {
    func testSizesComeFromHeadersOfFilesAndBytes() throws {
        let declared = try XCTUnwrap(DeclaredPictureSize.read(fileAt: TestMedia.multiFace))
        XCTAssertEqual([declared.width, declared.height], [1000, 667])
        XCTAssertEqual(DeclaredPictureSize.read(fileAt: TestMedia.astronaut)?.width, 512)
        XCTAssertNil(DeclaredPictureSize.read(from: [0xFF, 0xD8, 0xFF]), "cut short")
        XCTAssertNil(
            DeclaredPictureSize.read(
                from: Array(try Data(contentsOf: URL(fileURLWithPath: TestMedia.multiFace)).prefix(100))),
            "a JPEG cut before its frame header")
        let absurd = DeclaredPictureSize(format: "png", width: Int(Int32.max), height: Int(Int32.max), bytesPerPixel: 8)
        XCTAssertEqual(absurd.decodedByteCount, .max, "saturates rather than overflows")
    }

    func testTheBudgetRefusesWhatDoesNotFitAndTakesItBackOnRelease() {
        let budget = PictureMemoryBudget(capacityBytes: 100)
        XCTAssertTrue(budget.tryReserve(60))
        XCTAssertFalse(budget.tryReserve(50))
        XCTAssertTrue(budget.tryReserve(40))
        budget.release(60)
        XCTAssertTrue(budget.tryReserve(50))
        XCTAssertEqual(budget.availableBytes, 10)
        XCTAssertFalse(budget.tryReserve(.max))
    }
}
