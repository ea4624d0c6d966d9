import Foundation
@testable import MoodlineMedia
import MoodlineTestSupport
import XCTest

final class MediaReaderTests: XCTestCase {
    func testPexelsSampleFacts() throws {
        let reader = try MediaReader(path: TestMedia.pexels)
        let info = reader.info
        XCTAssertEqual(info.codec, "h264")
        XCTAssertEqual(info.width, 640)
        XCTAssertEqual(info.height, 360)
        XCTAssertEqual(info.rotationDegrees, 0)
        XCTAssertEqual(info.frameCount, 472)
        XCTAssertEqual(info.durationSeconds ?? 0, 19.7, accuracy: 0.05)
        XCTAssertEqual(info.averageFrameRate ?? 0, 24000.0 / 1001.0, accuracy: 1e-6)
        XCTAssertTrue(info.hasAudio)
        XCTAssertFalse(info.isStillImage)
    }

    func testPexelsDecodesEveryFrameWithMonotonicTimestamps() throws {
        let reader = try MediaReader(path: TestMedia.pexels)
        var times: [Double] = []
        var indices: [Int] = []
        let summary = try reader.decodeFrames { frame in
            XCTAssertEqual(frame.pixels.width, 640)
            XCTAssertEqual(frame.pixels.height, 360)
            XCTAssertEqual(frame.pixels.layout, .rgb)
            times.append(frame.timeSeconds)
            indices.append(frame.index)
        }
        XCTAssertEqual(summary.framesDecoded, 472)
        XCTAssertEqual(summary.framesDelivered, 472)
        XCTAssertEqual(summary.problems, [])
        XCTAssertEqual(indices, Array(0..<472))
        XCTAssertEqual(times.first ?? -1, 0, accuracy: 1e-9)
        // Timestamps come from pts: frame 471 is at 471 * 1001/24000 s.
        XCTAssertEqual(times.last ?? 0, 471 * 1001.0 / 24000.0, accuracy: 1e-6)
        XCTAssertTrue(zip(times, times.dropFirst()).allSatisfy { $0 < $1 }, "timestamps must increase")
    }

    func testUnselectedFramesAreNotDelivered() throws {
        let reader = try MediaReader(path: TestMedia.pexels)
        var delivered: [Int] = []
        let summary = try reader.decodeFrames(select: { $0.index % 100 == 0 }) { delivered.append($0.index) }
        XCTAssertEqual(delivered, [0, 100, 200, 300, 400])
        XCTAssertEqual(summary.framesDecoded, 472)
        XCTAssertEqual(summary.framesDelivered, 5)
    }

    func testFramesCanBeScaledDownWhileConverted() throws {
        let reader = try MediaReader(path: TestMedia.pexels, options: DecoderOptions(maximumSide: 320))
        XCTAssertEqual(reader.info.width, 640, "media facts stay those of the source")
        var frame: DecodedFrame?
        _ = try reader.decodeFrames(select: { $0.index == 0 }) { frame = $0 }
        let decoded = try XCTUnwrap(frame)
        XCTAssertEqual(decoded.pixels.width, 320)
        XCTAssertEqual(decoded.pixels.height, 180)
        XCTAssertEqual(decoded.scaleToSource, 2)
    }

    func testReducedResolutionLevelIsTheDeepestThatStillCoversTheMaximumSide() {
        // 4000 px: halves to 2000 (covers 1500), not to 1000.
        XCTAssertEqual(
            MediaReader.reducedResolutionLevel(width: 4000, height: 3000, maximumSide: 1500, decoderLimit: 3), 1)
        XCTAssertEqual(
            MediaReader.reducedResolutionLevel(width: 4000, height: 3000, maximumSide: 3000, decoderLimit: 3), 0)
        XCTAssertEqual(
            MediaReader.reducedResolutionLevel(width: 6000, height: 4000, maximumSide: 3000, decoderLimit: 3), 1)
        XCTAssertEqual(
            MediaReader.reducedResolutionLevel(width: 8000, height: 6000, maximumSide: 500, decoderLimit: 3), 3,
            "at most 1/8")
        XCTAssertEqual(
            MediaReader.reducedResolutionLevel(width: 8000, height: 6000, maximumSide: 500, decoderLimit: 0), 0,
            "decoder cannot")
        XCTAssertEqual(
            MediaReader.reducedResolutionLevel(width: 8000, height: 6000, maximumSide: nil, decoderLimit: 3), 0,
            "full size asked")
        // Odd sides round up, as FFmpeg's reduced sizes do: 2001 halves to 1001.
        XCTAssertEqual(
            MediaReader.reducedResolutionLevel(width: 2001, height: 10, maximumSide: 1001, decoderLimit: 3), 1)
    }

    func testLargePhotoIsDecodedAtReducedResolutionWithScaleToSourceAndTheSamePicture() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let photo = folder.appendingPathComponent("large.jpg").path
        try TestProcess.ffmpeg(["-i", TestMedia.multiFace, "-vf", "scale=2400:1600", "-q:v", "2", photo])
        // 2400 px at a 700 px maximum: decoded at half size, 1200 px (a quarter, 600 px, would not cover 700).
        let reduced = try XCTUnwrap(frame(photo, maximumSide: 700))
        XCTAssertEqual(reduced.pixels.width, 700)
        XCTAssertEqual(reduced.pixels.height, 467)
        XCTAssertEqual(reduced.scaleToSource, 2400.0 / 700.0, accuracy: 1e-9, "boxes scale back to source pixels")
        // The same picture as a full-size decode scaled down: the mean difference is under 3 grey levels.
        let full = try XCTUnwrap(frame(photo, maximumSide: nil))
        let scaled = try XCTUnwrap(frame(photo, maximumSide: 700, reduced: false))
        XCTAssertEqual(full.pixels.width, 2400)
        var total = 0
        for (a, b) in zip(reduced.pixels.bytes, scaled.pixels.bytes) { total += abs(Int(a) - Int(b)) }
        XCTAssertLessThan(Double(total) / Double(reduced.pixels.bytes.count), 3)
    }

    private func frame(_ path: String, maximumSide: Int?, reduced: Bool = true) throws -> DecodedFrame? {
        var frame: DecodedFrame?
        let reader = try MediaReader(
            path: path, options: DecoderOptions(maximumSide: maximumSide, decodesPhotosReduced: reduced))
        _ = try reader.decodeFrames { frame = $0 }
        return frame
    }

    func testGreyLayoutMatchesRGBLuma() throws {
        var rgb: PixelBuffer?
        var grey: PixelBuffer?
        _ = try MediaReader(path: TestMedia.astronaut).decodeFrames { rgb = $0.pixels }
        _ = try MediaReader(path: TestMedia.astronaut, options: DecoderOptions(layout: .grey)).decodeFrames {
            grey = $0.pixels
        }
        let fromRGB = try XCTUnwrap(rgb).greyscale()
        let decodedGrey = try XCTUnwrap(grey)
        XCTAssertEqual(decodedGrey.layout, .grey)
        XCTAssertEqual(decodedGrey.bytes.count, 512 * 512)
        // FFmpeg's grey conversion and our BT.601 luma agree to within rounding of the colour conversion.
        let worst = zip(fromRGB.bytes, decodedGrey.bytes).map { abs(Int($0) - Int($1)) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, 3)
    }

    func testStillImageIsOneFrameAtTimeZero() throws {
        let reader = try MediaReader(path: TestMedia.multiFace)
        XCTAssertTrue(reader.info.isStillImage)
        XCTAssertEqual(reader.info.width, 1000)
        XCTAssertEqual(reader.info.height, 667)
        var frames: [DecodedFrame] = []
        _ = try reader.decodeFrames { frames.append($0) }
        XCTAssertEqual(frames.count, 1)
        XCTAssertEqual(frames.first?.timeSeconds, 0)
        XCTAssertEqual(frames.first?.pixels.width, 1000)
    }

    func testRotatedPhoneVideoDecodesUpright() throws {
        let reader = try MediaReader(path: TestMedia.fixture("rotated90.mp4"))
        XCTAssertEqual(reader.info.rotationDegrees, 90)
        XCTAssertEqual(reader.info.codedWidth, 64)
        XCTAssertEqual(reader.info.width, 32)
        XCTAssertEqual(reader.info.height, 64)
        var count = 0
        _ = try reader.decodeFrames { frame in
            count += 1
            XCTAssertEqual(frame.pixels.width, 32)
            XCTAssertEqual(frame.pixels.height, 64)
            // Stored left half red, right half blue; turned 90 degrees clockwise, red is on top.
            assertColour(frame.pixels, x: 16, y: 12, isRed: true)
            assertColour(frame.pixels, x: 16, y: 52, isRed: false)
        }
        XCTAssertEqual(count, 10)
    }

    func testPhotoWithExifOrientationDecodesUpright() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let original = try Data(contentsOf: URL(fileURLWithPath: TestMedia.fixture("redblue.jpg")))
        let path = folder.appendingPathComponent("rotated.jpg")
        try jpegWithExifOrientation(original, orientation: 6).write(to: path)

        var upright: PixelBuffer?
        _ = try MediaReader(path: path.path).decodeFrames { upright = $0.pixels }
        let pixels = try XCTUnwrap(upright)
        XCTAssertEqual(pixels.width, 32)
        XCTAssertEqual(pixels.height, 64)
        // EXIF 6 means "turn 90 degrees clockwise to view": the stored left (red) half ends on top.
        assertColour(pixels, x: 16, y: 12, isRed: true)
        assertColour(pixels, x: 16, y: 52, isRed: false)
    }

    func testKeyFrameModeYieldsOnlyKeyFrames() throws {
        var allKeyTimes: [Double] = []
        _ = try MediaReader(path: TestMedia.pexels).decodeFrames(select: { timing in
            if timing.isKeyFrame { allKeyTimes.append(timing.timeSeconds) }
            return false
        }) { _ in }
        XCTAssertGreaterThan(allKeyTimes.count, 1)

        let reader = try MediaReader(path: TestMedia.pexels, options: DecoderOptions(keyFramesOnly: true))
        var keyTimes: [Double] = []
        let summary = try reader.decodeFrames { frame in
            XCTAssertTrue(frame.timing.isKeyFrame)
            keyTimes.append(frame.timeSeconds)
        }
        XCTAssertEqual(keyTimes, allKeyTimes)
        XCTAssertEqual(summary.framesDecoded, allKeyTimes.count, "the decoder must skip the non-key frames")
    }

    func testVariableFrameRateTimestampsComeFromPts() throws {
        var times: [Double] = []
        _ = try MediaReader(path: TestMedia.fixture("vfr.mkv")).decodeFrames { times.append($0.timeSeconds) }
        XCTAssertEqual(times.count, 30)
        // Gaps alternate 1/30 s and 1/10 s (stored to the millisecond by Matroska).
        for (i, time) in times.enumerated() {
            let expected = Double(i / 2) * (1.0 / 30 + 1.0 / 10) + (i % 2 == 1 ? 1.0 / 30 : 0)
            XCTAssertEqual(time, expected, accuracy: 0.0011, "frame \(i)")
        }
    }

    func testTruncatedVideoYieldsFramesBeforeTheDamageAndAnError() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let whole = try Data(contentsOf: URL(fileURLWithPath: TestMedia.pexels))
        let path = folder.appendingPathComponent("truncated.mp4").path
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))

        let reader = try MediaReader(path: path)
        var count = 0
        let summary = try reader.decodeFrames { _ in count += 1 }
        XCTAssertGreaterThan(count, 100, "frames before the damage are delivered")
        XCTAssertLessThan(count, 472)
        let problem = try XCTUnwrap(summary.problems.first)
        XCTAssertEqual(problem.code, .damagedStream)
        XCTAssertEqual(problem.path, path)
        XCTAssertNotNil(problem.frameIndex)
    }

    func testBadFilesGiveErrorsNamingThePath() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let empty = folder.appendingPathComponent("empty.mp4").path
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let text = folder.appendingPathComponent("notes.mp4").path
        _ = FileManager.default.createFile(atPath: text, contents: Data("this is not a video\n".utf8))
        let fakeImage = folder.appendingPathComponent("photo.jpg").path
        _ = FileManager.default.createFile(
            atPath: fakeImage, contents: Data(String(repeating: "plain text ", count: 50).utf8))
        let missing = folder.appendingPathComponent("missing.mov").path

        XCTAssertThrowsError(try MediaReader(path: empty)) { error in
            XCTAssertEqual(
                error as? MediaError, MediaError(code: .emptyFile, path: empty, message: "the file is empty (0 bytes)"))
        }
        XCTAssertThrowsError(try MediaReader(path: missing)) { error in
            XCTAssertEqual((error as? MediaError)?.code, .fileNotFound)
            XCTAssertTrue("\(error)".hasPrefix(missing + ": "), "\(error)")
        }
        XCTAssertThrowsError(try MediaReader(path: text)) { error in
            XCTAssertEqual((error as? MediaError)?.code, .unrecognisedFormat)
            XCTAssertTrue("\(error)".contains(text), "\(error)")
        }
        XCTAssertThrowsError(try MediaReader(path: folder.path)) { error in
            XCTAssertEqual((error as? MediaError)?.code, .notAFile)
        }
        // A text file named .jpg: either refused on opening or yields no frame, and always names the file.
        do {
            let reader = try MediaReader(path: fakeImage)
            var frames = 0
            let summary = try reader.decodeFrames { _ in frames += 1 }
            XCTAssertEqual(frames, 0)
            XCTAssertEqual(summary.problems.first?.path, fakeImage)
        } catch let error as MediaError {
            XCTAssertEqual(error.path, fakeImage)
        }
    }

    func testEveryFFmpegObjectIsFreed() throws {
        let before = FFmpegObjectCounter.live
        do {
            let reader = try MediaReader(path: TestMedia.pexels)
            XCTAssertGreaterThan(FFmpegObjectCounter.live, before)
            _ = try reader.decodeFrames(select: { $0.index < 30 }) { _ in }
            _ = try? MediaReader(path: TestMedia.fixture("make-fixtures.sh"))
        }
        XCTAssertEqual(FFmpegObjectCounter.live, before)
    }

    // MARK: - Helpers

    private func assertColour(
        _ pixels: PixelBuffer, x: Int, y: Int, isRed: Bool, file: StaticString = #filePath, line: UInt = #line
    ) {
        let rgb = pixels.pixel(x: x, y: y).map(Int.init)
        let (red, blue) = (rgb[0], rgb[2])
        if isRed {
            XCTAssertTrue(red > 200 && blue < 60, "expected red at (\(x), \(y)), got \(rgb)", file: file, line: line)
        } else {
            XCTAssertTrue(blue > 200 && red < 60, "expected blue at (\(x), \(y)), got \(rgb)", file: file, line: line)
        }
    }

    /// The JPEG with an EXIF APP1 segment holding just an Orientation tag, inserted after the SOI marker.
    private func jpegWithExifOrientation(_ jpeg: Data, orientation: UInt8) -> Data {
        let tiff: [UInt8] = [
            0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, // big-endian TIFF, IFD at 8
            0x00, 0x01, // one entry
            0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, // Orientation, SHORT, count 1
            0x00, orientation, 0x00, 0x00, // value
            0x00, 0x00, 0x00, 0x00,
        ] // no next IFD
        let payload: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        return jpeg.prefix(2) + Data(segment) + jpeg.dropFirst(2)
    }
}
