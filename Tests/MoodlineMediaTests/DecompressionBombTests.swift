import Foundation
@testable import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// Pictures that declare a huge size in a small file are refused from their header, before FFmpeg allocates them.
final class DecompressionBombTests: XCTestCase {
    /// A PNG declaring `side` x `side` 16-bit RGBA, with a few rows of data (the rest missing, as in a bomb's
    /// truncated form; the decoder allocates the whole picture either way).
    static func pngBomb(side: Int) -> [UInt8] {
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
        }
        let header = bigEndian(UInt32(side)) + bigEndian(UInt32(side)) + [16, 6, 0, 0, 0]
        // A stored (uncompressed) zlib block of one empty row: enough for the header to be believed.
        let row = [UInt8](repeating: 0, count: 1 + 8)
        let zlib: [UInt8] =
            [
                0x78, 0x01, 0x01, UInt8(row.count & 0xFF), UInt8(row.count >> 8), UInt8(~row.count & 0xFF),
                UInt8((~row.count >> 8) & 0xFF),
            ] + row
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlib)
            + chunk("IEND", [])
    }

    /// A GIF whose logical screen is `side` x `side`, holding one 1x1 frame.
    static func gifBomb(side: Int) -> [UInt8] {
        Array("GIF89a".utf8) + [UInt8(side & 0xFF), UInt8(side >> 8), UInt8(side & 0xFF), UInt8(side >> 8), 0, 0, 0]
            + [0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0] + [2, 2, 0x44, 0x01, 0] + [0x3B]
    }

    func testHeadersAreReadWithoutDecoding() throws {
        let png = try XCTUnwrap(DeclaredPictureSize.read(from: Self.pngBomb(side: 14000)))
        XCTAssertEqual(png, DeclaredPictureSize(format: "png", width: 14000, height: 14000, bytesPerPixel: 8))
        let gif = try XCTUnwrap(DeclaredPictureSize.read(from: Self.gifBomb(side: 14000)))
        XCTAssertEqual(gif.width, 14000)
        XCTAssertEqual(gif.decodedBytes, 14000 * 14000 * 4)
        // The sample JPEG (4:2:0, 8-bit): one and a half bytes a pixel.
        let jpeg = try XCTUnwrap(
            DeclaredPictureSize.read(from: [UInt8](try Data(contentsOf: URL(fileURLWithPath: TestMedia.multiFace)))))
        let reader = try MediaReader(path: TestMedia.multiFace)
        XCTAssertEqual(jpeg.width, reader.info.codedWidth)
        XCTAssertEqual(jpeg.height, reader.info.codedHeight)
        XCTAssertEqual(jpeg.bytesPerPixel, 1.5)
        XCTAssertNil(DeclaredPictureSize.read(from: Array("not a picture at all, just words".utf8)))
        // WebP and BMP headers, from FFmpeg's own encoders.
        let folder = try TestMedia.temporaryFolder(for: self)
        for format in ["webp", "bmp", "gif", "png"] {
            let path = folder.appendingPathComponent("small.\(format)").path
            try TestProcess.ffmpeg(["-f", "lavfi", "-i", "color=red:size=34x18", "-frames:v", "1", path])
            let declared = try XCTUnwrap(
                DeclaredPictureSize.read(from: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))), format)
            XCTAssertEqual(declared.format, format)
            XCTAssertEqual([declared.width, declared.height], [34, 18], format)
        }
        // Cut short anywhere, a header is read or refused without reading past the end.
        let bytes = Self.pngBomb(side: 300)
        for length in 0..<bytes.count { _ = DeclaredPictureSize.read(from: Array(bytes.prefix(length))) }
    }

    /// A JPEG whose frame header comes after 128 KB of metadata is still sized from the file (the first read takes
    /// 64 KiB; a JPEG not sized by then gets more).
    func testAJPEGFrameHeaderAfterLargeMetadataIsFound() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: TestMedia.multiFace)))
        let segment: [UInt8] = [0xFF, 0xE2, 0xFF, 0xFF] + [UInt8](repeating: 0x20, count: 0xFFFD)
        bytes.insert(contentsOf: segment + segment, at: 2)
        let path = try TestMedia.temporaryFolder(for: self).appendingPathComponent("metadata.jpg").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let declared = try XCTUnwrap(DeclaredPictureSize.read(fileAt: path))
        XCTAssertEqual([declared.width, declared.height], [1000, 667])
    }

    func testBombsAreRefusedByTheirHeaderAndNamed() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        for (name, bytes) in [("bomb.png", Self.pngBomb(side: 14000)), ("bomb.gif", Self.gifBomb(side: 14000))] {
            let path = folder.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try MediaReader(path: path), name) { error in
                let media = error as? MediaError
                XCTAssertEqual(media?.code, .imageTooLarge, name)
                XCTAssertTrue(media?.message.contains("14000x14000") ?? false, "\(error)")
            }
        }
        // Nothing was left reserved by the refusals.
        XCTAssertEqual(PictureMemoryBudget.shared.availableBytes, PictureMemoryBudget.shared.capacityBytes)
    }

    func testALiveFrameDeclaringAHugePictureIsRefusedBeforeDecoding() throws {
        let decoder = try StillImageDecoder(maximumSide: 1920, name: "live frame 1")
        XCTAssertThrowsError(try decoder.decode(Self.pngBomb(side: 14000))) { error in
            XCTAssertEqual((error as? MediaError)?.code, .imageTooLarge)
        }
    }

    func testTheBudgetMakesAPictureWaitForOthers() {
        let budget = PictureMemoryBudget(capacityBytes: 100)
        XCTAssertEqual(budget.reserve(70), 70)
        let second = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = budget.reserve(60)
            second.signal()
        }
        XCTAssertEqual(
            second.wait(timeout: .now() + 0.3), .timedOut, "60 more bytes do not fit until the first 70 are back")
        budget.release(70)
        XCTAssertEqual(second.wait(timeout: .now() + 5), .success)
        XCTAssertEqual(budget.availableBytes, 40)
        // A request over the whole budget takes all of it rather than waiting for ever.
        budget.release(60)
        XCTAssertEqual(budget.reserve(500), 100)
    }
}

private func bigEndian(_ value: UInt32) -> [UInt8] {
    [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
}

private func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}
