import Foundation
@testable import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// Media made to break a reader: odd sizes and pixel formats, names FFmpeg would interpret, files that point at
/// other files, special files, and timestamps at the edge of Int64. Each fixture is made by the test itself.
final class HostileMediaTests: XCTestCase {
    /// Every size from 1 to 67 on one side (against short and long other sides) and odd large ones, in formats that
    /// take different swscale paths. Run under valgrind in CI (`scripts/memcheck.sh`); here it checks the sizes.
    func testConversionOfEverySmallSizeAndFormat() throws {
        var sizes: [(Int, Int)] = []
        for side in 1...67 { for other in [1, 2, 67] { sizes += [(side, other), (other, side)] } }
        sizes += [(1921, 1081), (4097, 3), (3, 2161)]
        for format in ["gray", "rgba", "yuv420p", "yuv420p10le", "pal8", "yuvj444p", "nv12"] {
            for (width, height) in sizes {
                for layout in PixelLayout.allCases {
                    let buffer = try ConversionCheck.convert(
                        width: width, height: height, pixelFormat: format, layout: layout)
                    XCTAssertEqual(buffer.bytes.count, width * height * layout.channels, "\(format) \(width)x\(height)")
                }
            }
        }
        let scaled = try ConversionCheck.convert(
            width: 601, height: 67, pixelFormat: "yuv420p", layout: .rgb, maximumSide: 300)
        XCTAssertEqual(scaled.width, 300)
    }

    /// The JPEG sizes that once overran the conversion buffer (issue 7), decoded whole, grey and colour.
    func testOddSizedJPEGsDecodeCompletely() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        for (width, height) in [(600, 604), (350, 350), (300, 302), (1, 1), (3, 67)] {
            for grey in [false, true] {
                let path = folder.appendingPathComponent("p\(width)x\(height)\(grey ? "g" : "").jpg").path
                try TestProcess.ffmpeg([
                    "-i", TestMedia.multiFace, "-vf", "scale=\(width):\(height)" + (grey ? ",format=gray" : ""), path,
                ])
                for layout in PixelLayout.allCases {
                    var got: PixelBuffer?
                    _ = try MediaReader(path: path, options: DecoderOptions(layout: layout)).decodeFrames {
                        got = $0.pixels
                    }
                    XCTAssertEqual(got?.width, width)
                    XCTAssertEqual(got?.height, height)
                }
            }
        }
    }

    /// `img%d.png` is one file, not the pattern of an image sequence: the named file's pixels are read.
    func testAnImageSequencePatternIsReadAsTheFileNamed() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let named = folder.appendingPathComponent("img%d.png").path
        try FileManager.default.copyItem(atPath: TestMedia.astronaut, toPath: named)
        try TestProcess.ffmpeg(["-i", TestMedia.multiFace, folder.appendingPathComponent("img1.png").path])
        let reader = try MediaReader(path: named)
        XCTAssertEqual(reader.info.width, 512, "the astronaut (512x512), not img1.png (1000x667)")
        var frames = 0
        _ = try reader.decodeFrames { frame in
            frames += 1
            XCTAssertEqual(frame.pixels.width, 512)
        }
        XCTAssertEqual(frames, 1)
    }

    /// A picture whose extension lies is opened by its content.
    func testAPictureWithTheWrongExtensionOpensByContent() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let misnamed = folder.appendingPathComponent("really-a-png.jpg").path
        try FileManager.default.copyItem(atPath: TestMedia.astronaut, toPath: misnamed)
        var frames = 0
        _ = try MediaReader(path: misnamed).decodeFrames { _ in frames += 1 }
        XCTAssertEqual(frames, 1)
    }

    /// Playlists and lists name other files; opening them would read files the user never named.
    func testPlaylistsAndConcatListsAreRefused() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        try FileManager.default.copyItem(
            atPath: TestMedia.multiFace, toPath: folder.appendingPathComponent("secret.jpg").path)
        let hls = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nsecret.jpg\n#EXT-X-ENDLIST\n"
        let concat = "ffconcat version 1.0\nfile secret.jpg\n"
        for (name, text) in [
            ("list.m3u8", hls), ("playlist.mp4", hls), ("list.ffconcat", concat), ("concat.mp4", concat),
        ] {
            let path = folder.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try MediaReader(path: path), name) { error in
                let media = error as? MediaError
                XCTAssertEqual(media?.path, path)
                XCTAssertEqual(media?.code, .unrecognisedFormat, "\(error)")
            }
        }
    }

    /// A FIFO (directly or behind a link) would block inside FFmpeg forever; it is refused at once.
    func testAFIFOIsRefusedWithoutBlocking() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let fifo = folder.appendingPathComponent("pipe.mp4").path
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let link = folder.appendingPathComponent("link.mp4").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: fifo)
        for path in [fifo, link] {
            XCTAssertThrowsError(try MediaReader(path: path)) { error in
                XCTAssertEqual((error as? MediaError)?.code, .notAFile)
                XCTAssertTrue("\(error)".contains("FIFO"), "\(error)")
            }
        }
        let dangling = folder.appendingPathComponent("gone.mp4").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "/no/such/target.mp4")
        XCTAssertThrowsError(try MediaReader(path: dangling)) { error in
            XCTAssertTrue("\(error)".contains("broken symbolic link"), "\(error)")
        }
    }

    /// An edit list cuts frames that the header still counts; the file is whole and must not read as damaged.
    func testAnEditListIsNotDamage() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let path = folder.appendingPathComponent("edited.mp4").path
        try TestProcess.ffmpeg(["-ss", "1.3", "-i", TestMedia.pexels, "-t", "4", "-c", "copy", "-an", path])
        let reader = try MediaReader(path: path)
        var frames = 0
        let summary = try reader.decodeFrames { _ in frames += 1 }
        XCTAssertLessThan(frames, reader.info.frameCount ?? 0, "the header counts the frames cut by the edit list")
        XCTAssertEqual(summary.problems, [])
    }

    /// A fragmented MP4 with a time scale of 1 and fragment times near 2^62: no arithmetic may trap.
    func testTimestampsNearTheLimitsOfInt64DoNotCrash() throws {
        let path = try HostileMediaFixtures.craftedHugeTimestamps(in: try TestMedia.temporaryFolder(for: self))
        let reader = try MediaReader(path: path)
        XCTAssertGreaterThan(reader.info.durationSeconds ?? 0, 1e18)
        var times: [Double] = []
        _ = try reader.decodeFrames { times.append($0.timeSeconds) }
        XCTAssertFalse(times.isEmpty)
        XCTAssertTrue(times.allSatisfy(\.isFinite))
        let keyFrames = try MediaReader(path: path, options: DecoderOptions(keyFramesOnly: true))
        _ = try keyFrames.decodeFrames { _ in }
    }
}
