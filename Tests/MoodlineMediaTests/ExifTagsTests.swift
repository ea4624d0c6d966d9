import Foundation
import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// The EXIF tags read from a JPEG's header: its orientation and when it was taken.
final class ExifTagsTests: XCTestCase {
    private let bareJPEG = Data([0xFF, 0xD8, 0xFF, 0xD9])

    private func tags(
        orientation: Int? = nil, takenAt: String? = nil, offset: String? = nil, littleEndian: Bool = false
    ) -> ExifTags? {
        let jpeg = ExifSegment.insert(
            into: bareJPEG, orientation: orientation, takenAt: takenAt, offset: offset, littleEndian: littleEndian)
        return ExifTags.read(fromJPEG: Array(jpeg))
    }

    func testTheCaptureTimeIsReadAsISO8601InBothByteOrders() {
        for little in [false, true] {
            let read = tags(orientation: 6, takenAt: "2024:05:01 14:03:22", littleEndian: little)
            XCTAssertEqual(read?.takenAt, "2024-05-01T14:03:22", "little-endian: \(little)")
            XCTAssertEqual(read?.orientation?.clockwiseDegrees, 90)
        }
    }

    func testTheOffsetFromUTCIsAddedWhereTheCameraRecordedOne() {
        XCTAssertEqual(
            tags(takenAt: "2023:12:31 23:59:59", offset: "+02:00")?.takenAt, "2023-12-31T23:59:59+02:00")
        XCTAssertEqual(
            tags(takenAt: "2023:12:31 23:59:59", offset: "-05:30", littleEndian: true)?.takenAt,
            "2023-12-31T23:59:59-05:30")
        XCTAssertEqual(tags(takenAt: "2023:12:31 23:59:59", offset: "bogus!")?.takenAt, "2023-12-31T23:59:59")
    }

    /// Cameras without a set clock write zeros or spaces; those are no time, not the year 0.
    func testABlankOrMalformedTimeIsNoTime() {
        XCTAssertNil(tags(takenAt: "0000:00:00 00:00:00")?.takenAt)
        XCTAssertNil(tags(takenAt: "                   ")?.takenAt)
        XCTAssertNil(tags(takenAt: "2024-05-01 14:03:22")?.takenAt)
        XCTAssertNil(tags(takenAt: "2024:13:01 14:03:22")?.takenAt)
        XCTAssertNil(tags(takenAt: "2024:05:01")?.takenAt)
        XCTAssertEqual(tags(orientation: 3)?.orientation?.clockwiseDegrees, 180, "no Exif directory: orientation only")
    }

    /// Every prefix of a tagged header (a short read) gives the tags it holds whole or none of them, never a read
    /// past the bytes; a pointer out of the segment is ignored.
    func testCutOrCraftedTagsGiveNothingRatherThanGarbage() {
        let jpeg = Array(
            ExifSegment.insert(into: bareJPEG, orientation: 8, takenAt: "2024:05:01 14:03:22", offset: "+01:00"))
        for length in 0..<jpeg.count {
            if let read = ExifTags.read(fromJPEG: Array(jpeg.prefix(length))), let time = read.takenAt {
                XCTAssertTrue(["2024-05-01T14:03:22", "2024-05-01T14:03:22+01:00"].contains(time), time)
            }
        }
        var crafted = jpeg
        // The Exif directory pointer (after the segment header, "Exif\0\0", the TIFF header and the first
        // directory's count and Orientation entry) aimed far outside the segment.
        let pointer = 4 + 6 + 8 + 2 + 12 + 8
        crafted.replaceSubrange((2 + pointer)..<(2 + pointer + 4), with: [0x7F, 0xFF, 0xFF, 0xFF])
        let read = ExifTags.read(fromJPEG: crafted)
        XCTAssertNil(read?.takenAt)
        XCTAssertEqual(read?.orientation?.clockwiseDegrees, 270)
    }
}
