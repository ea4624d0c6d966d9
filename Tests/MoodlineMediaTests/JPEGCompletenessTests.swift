import Foundation
@testable import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// A JPEG cut short is found from its bytes, and still decoded; one with data after its end is not damaged.
final class JPEGCompletenessTests: XCTestCase {
    private var sample: [UInt8] {
        get throws { [UInt8](try Data(contentsOf: URL(fileURLWithPath: TestMedia.multiFace))) }
    }

    func testTheSampleIsCompleteAndItsCutsEndEarly() throws {
        let bytes = try sample
        XCTAssertEqual(JPEGCompleteness(scanning: bytes), .complete)
        // multi_face.jpg is progressive (SOF2).
        for fraction in [0.01, 0.3, 0.6, 0.99] {
            XCTAssertEqual(
                JPEGCompleteness(scanning: Array(bytes.prefix(Int(Double(bytes.count) * fraction)))),
                .endsEarly(progressive: true), "cut at \(fraction)")
        }
        XCTAssertEqual(JPEGCompleteness(scanning: Array(bytes.dropLast(2))), .endsEarly(progressive: true))
        XCTAssertEqual(JPEGCompleteness(scanning: Array("GIF89a".utf8)), .notJPEG)
    }

    /// A Motion Photo (an MP4 after the JPEG) and an MPF file (a second JPEG after the first) are complete.
    func testDataAfterTheEndMarkerIsNotDamage() throws {
        let bytes = try sample
        let mp4 = [0, 0, 0, 0x18] + Array("ftypmp42".utf8) + [UInt8](repeating: 0x11, count: 4000)
        XCTAssertEqual(JPEGCompleteness(scanning: bytes + mp4), .complete)
        XCTAssertEqual(
            JPEGCompleteness(scanning: bytes + bytes.prefix(5000)), .complete, "a second picture, itself cut")
    }

    /// An EOI inside an APP segment (an EXIF thumbnail's) is not the picture's end.
    func testAnEndMarkerInsideASegmentDoesNotCount() throws {
        let bytes = try sample
        let thumbnail: [UInt8] = [0xFF, 0xD8, 0x00, 0xFF, 0xD9]
        let app1: [UInt8] = [0xFF, 0xE1, 0x00, UInt8(2 + thumbnail.count)] + thumbnail
        let withThumbnail = Array(bytes.prefix(2)) + app1 + Array(bytes.dropFirst(2))
        XCTAssertEqual(JPEGCompleteness(scanning: withThumbnail), .complete)
        XCTAssertEqual(JPEGCompleteness(scanning: Array(withThumbnail.prefix(2000))), .endsEarly(progressive: true))
    }

    /// A repeated SOI has no length (read as one, the next segment's marker became a length and the walk jumped
    /// past the real end); a segment whose length is below its own two bytes is broken, not walked into.
    func testARepeatedStartMarkerAndABrokenLength() throws {
        let bytes = try sample
        XCTAssertEqual(JPEGCompleteness(scanning: [0xFF, 0xD8] + bytes), .complete)
        let broken: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x01, 0xFF, 0xD9]
        XCTAssertEqual(JPEGCompleteness(scanning: broken), .endsEarly(progressive: false))
    }

    /// A baseline JPEG cut in half: the top half is decoded and delivered, and the problem says how much.
    func testABaselineJPEGCutShortIsDecodedInPartAndSaysHowMuch() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let whole = folder.appendingPathComponent("baseline.jpg")
        try TestProcess.ffmpeg(["-i", TestMedia.multiFace, "-q:v", "3", whole.path])
        let bytes = try Data(contentsOf: whole)
        XCTAssertEqual(JPEGCompleteness(scanning: [UInt8](bytes)), .complete)
        let cut = folder.appendingPathComponent("cut.jpg")
        try bytes.prefix(bytes.count / 2).write(to: cut)
        let (summary, picture) = try decode(cut.path)
        XCTAssertEqual(picture?.width, 1000)
        XCTAssertEqual(summary.problems.map(\.code), [.damagedPicture])
        let message = try XCTUnwrap(summary.problems.first?.message)
        XCTAssertTrue(message.hasPrefix("damaged: the file ends before the picture does; the top "), message)
        let percent = try XCTUnwrap(Int(message.split(separator: "top ")[1].prefix { $0.isNumber }))
        XCTAssertTrue((25...75).contains(percent), message)
        XCTAssertTrue(message.hasSuffix(" rows), the rest is blank"), message)
    }

    /// The progressive sample cut short: every row has some of the picture, at less detail.
    func testAProgressiveJPEGCutShortIsDecodedAndCalledDamaged() throws {
        let cut = try TestMedia.temporaryFolder(for: self).appendingPathComponent("cut.jpg")
        let bytes = try sample
        try Data(bytes.prefix(bytes.count * 6 / 10)).write(to: cut)
        let (summary, picture) = try decode(cut.path)
        XCTAssertEqual(picture?.height, 667)
        XCTAssertEqual(summary.problems.map(\.code), [.damagedPicture])
        XCTAssertEqual(
            summary.problems.first?.message,
            "damaged: the file ends before the picture does; a progressive JPEG, so all of it was analysed, with less detail than the full picture"
        )
    }

    func testAPhotoWithDataAfterItsEndHasNoProblem() throws {
        let path = try TestMedia.temporaryFolder(for: self).appendingPathComponent("motion.jpg")
        try Data(try sample + [0, 0, 0, 0x18] + Array("ftypmp42".utf8) + [UInt8](repeating: 7, count: 3000)).write(
            to: path)
        let (summary, picture) = try decode(path.path)
        XCTAssertNotNil(picture)
        XCTAssertEqual(summary.problems, [])
    }

    /// Every cut of a small baseline JPEG opens and decodes safely: refused, or decoded and called damaged (run
    /// under valgrind in CI, `scripts/memcheck.sh`, as the blank rows are read from FFmpeg's frame).
    func testEveryCutOfASmallJPEGIsRefusedOrCalledDamaged() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: TestMedia.fixture("redblue.jpg")))
        let folder = try TestMedia.temporaryFolder(for: self)
        for length in stride(from: 2, to: bytes.count, by: 3) {
            let path = folder.appendingPathComponent("cut\(length).jpg").path
            try bytes.prefix(length).write(to: URL(fileURLWithPath: path))
            guard let (summary, picture) = try? decode(path) else { continue }
            if picture != nil { XCTAssertEqual(summary.problems.map(\.code), [.damagedPicture], "cut at \(length)") }
        }
    }

    func testTheDamageTextSaysWhatWasMeasured() {
        XCTAssertEqual(
            MediaReader.damageText(blankRows: 100, height: 400, progressive: false),
            "damaged: the file ends before the picture does; the top 75% was analysed (300 of 400 rows), the rest is blank"
        )
        XCTAssertEqual(
            MediaReader.damageText(blankRows: 400, height: 400, progressive: false),
            "damaged: the file ends before the picture does; none of it could be decoded")
        XCTAssertEqual(
            MediaReader.damageText(blankRows: -1, height: 400, progressive: false),
            "damaged: the file ends before the picture does; what could be decoded was analysed")
        XCTAssertEqual(
            MediaReader.damageText(blankRows: 0, height: 400, progressive: false),
            "damaged: the file ends before the picture does; all of its rows were decoded, the last ones may be incomplete"
        )
    }

    private func decode(_ path: String) throws -> (DecodeSummary, PixelBuffer?) {
        var picture: PixelBuffer?
        let summary = try MediaReader(path: path).decodeFrames { picture = $0.pixels }
        return (summary, picture)
    }
}
