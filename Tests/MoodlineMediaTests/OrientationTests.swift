import MoodlineMedia
import XCTest

final class OrientationTests: XCTestCase {
    /// A 3x2 grey picture with values 1...6 in reading order:
    ///     1 2 3
    ///     4 5 6
    private let picture = PixelBuffer(width: 3, height: 2, layout: .grey, bytes: [1, 2, 3, 4, 5, 6])

    func testEveryExifOrientation() throws {
        // Expected upright pictures, rows read top to bottom, for EXIF values 1...8.
        let expected: [Int: (width: Int, bytes: [UInt8])] = [
            1: (3, [1, 2, 3, 4, 5, 6]),
            2: (3, [3, 2, 1, 6, 5, 4]),
            3: (3, [6, 5, 4, 3, 2, 1]),
            4: (3, [4, 5, 6, 1, 2, 3]),
            5: (2, [1, 4, 2, 5, 3, 6]),
            6: (2, [4, 1, 5, 2, 6, 3]),
            7: (2, [6, 3, 5, 2, 4, 1]),
            8: (2, [3, 6, 2, 5, 1, 4]),
        ]
        for (value, want) in expected.sorted(by: { $0.key < $1.key }) {
            let orientation = try XCTUnwrap(Orientation(exifValue: value))
            let upright = orientation.apply(to: picture)
            XCTAssertEqual(upright.width, want.width, "EXIF \(value)")
            XCTAssertEqual(upright.bytes, want.bytes, "EXIF \(value)")
        }
        XCTAssertNil(Orientation(exifValue: 0))
        XCTAssertNil(Orientation(exifValue: 9))
    }

    func testRotationKeepsEveryChannel() {
        let rgb = PixelBuffer(width: 2, height: 1, layout: .rgb, bytes: [10, 11, 12, 20, 21, 22])
        let turned = Orientation(clockwiseDegrees: 90).apply(to: rgb)
        XCTAssertEqual(turned.width, 1)
        XCTAssertEqual(turned.height, 2)
        XCTAssertEqual(turned.bytes, [10, 11, 12, 20, 21, 22])
        XCTAssertEqual(Orientation(clockwiseDegrees: -90), Orientation(clockwiseDegrees: 270))
    }
}
