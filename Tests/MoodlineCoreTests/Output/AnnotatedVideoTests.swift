import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// `annotated.mp4` decoded back: every frame of the source at its timestamp, the sound copied, upright, and the
/// boxes drawn where `frames.csv` says the faces are.
final class AnnotatedVideoTests: XCTestCase {
    override func setUp() {
        BLAS.setThreads(1)
    }

    private func analyse(_ path: String, expecting status: InputStatus = .ok) throws -> URL {
        let output = try TestMedia.temporaryFolder(for: self).appendingPathComponent("out")
        var video = try TestPipelines.builtIn("interview")
        video.outputs.formats = ["csv", "annotate"].compactMap(OutputFormat.init(rawValue:))
        let batch = BatchAnalysis(
            videoPipeline: video, photoPipeline: video, models: try ModelStore(folder: TestMedia.weights),
            outputDirectory: output.path)
        let outcome = try batch.run(paths: [path], reporter: SilentReporter())
        XCTAssertEqual(outcome.results[0].outcome.status, status, "\(outcome.results[0].outcome.problems)")
        return output.appendingPathComponent(outcome.results[0].input.outputName)
    }

    private func frames(_ path: String) throws -> [DecodedFrame] {
        var frames: [DecodedFrame] = []
        _ = try MediaReader(path: path, options: DecoderOptions(layout: .rgb)).decodeFrames { frames.append($0) }
        return frames
    }

    /// A stream that changes resolution mid-way (two sizes joined in MPEG-TS) keeps every frame in the copy: the
    /// later ones scaled to fit the first size (they used to be left out, silently halving the video).
    func testAResolutionChangeKeepsEveryFrame() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        var joined = Data()
        for (index, size) in ["320x240", "160x96"].enumerated() {
            let part = folder.appendingPathComponent("part\(index).ts").path
            try TestProcess.ffmpeg([
                "-f", "lavfi", "-i", "testsrc=size=\(size):rate=24", "-t", "2", "-c:v", "libx264", "-bf", "0",
                "-pix_fmt", "yuv420p",
                "-output_ts_offset", "\(2 * index)", part,
            ])
            joined += try Data(contentsOf: URL(fileURLWithPath: part))
        }
        let input = folder.appendingPathComponent("changes.ts")
        try joined.write(to: input)
        let source = try frames(input.path)
        XCTAssertEqual(source.count, 96)
        let annotated = try frames(try analyse(input.path).appendingPathComponent("annotated.mp4").path)
        XCTAssertEqual(annotated.count, source.count)
        XCTAssertTrue(annotated.allSatisfy { $0.pixels.width == 320 && $0.pixels.height == 240 })
    }

    /// The annotated video is an extra: when it cannot be written (here a 1-pixel-wide video, which H.264 cannot
    /// hold), the tables stay and the input is partial, with the reason.
    func testAFailedAnnotatedVideoKeepsTheOtherOutputs() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let input = folder.appendingPathComponent("thin.mkv").path
        try TestProcess.ffmpeg([
            "-f", "lavfi", "-i", "color=c=gray:size=64x64:rate=5", "-t", "1", "-vf", "scale=1:64,format=gray", "-c:v",
            "ffv1", input,
        ])
        let results = try analyse(input, expecting: .partial)
        XCTAssertTrue(FileManager.default.fileExists(atPath: results.appendingPathComponent("frames.csv").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: results.appendingPathComponent("annotated.mp4").path))
        let manifest = try String(contentsOf: results.appendingPathComponent("run.json"), encoding: .utf8)
        XCTAssertTrue(manifest.contains("optional_output"), manifest)
        XCTAssertTrue(manifest.contains("annotated.mp4 was not written"), manifest)
    }

    func testEveryFrameKeepsItsTimeTheSoundIsCopiedAndTheBoxIsDrawn() throws {
        let folder = try analyse(TestMedia.pexels)
        let annotated = folder.appendingPathComponent("annotated.mp4").path
        let reader = try MediaReader(path: annotated)
        let source = try MediaReader(path: TestMedia.pexels)
        XCTAssertEqual(reader.info.codec, "h264")
        XCTAssertTrue(reader.info.hasAudio, "the sound is copied through")
        XCTAssertEqual(reader.info.durationSeconds!, source.info.durationSeconds!, accuracy: 0.1)
        let written = try frames(annotated), original = try frames(TestMedia.pexels)
        XCTAssertEqual(written.count, original.count)
        XCTAssertEqual(written.count, 472)
        for (a, b) in zip(written, original) {
            XCTAssertEqual(a.timing.timeSeconds, b.timing.timeSeconds, accuracy: 1e-3)
        }

        // The first certain reading's box, from frames.csv: its top edge is drawn in the colour of its emotion
        // (an uncertain one is dashed grey).
        let lines = try String(contentsOfFile: folder.appendingPathComponent("frames.csv").path, encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let uncertainColumn = try XCTUnwrap(lines[0].firstIndex(of: "uncertain"))
        let row = try XCTUnwrap(lines.dropFirst().first { $0[uncertainColumn] == "false" })
        let (x, y, w) = (Double(row[6])!, Double(row[7])!, Double(row[8])!)
        let emotion = try XCTUnwrap(Emotion(rawValue: row[18]))
        let colour = [
            "angry": (214, 39, 40), "disgust": (140, 86, 75), "fear": (148, 103, 189), "happy": (242, 183, 1),
            "sad": (31, 119, 180), "surprise": (23, 190, 207), "neutral": (158, 158, 158),
        ][emotion.rawValue]!
        let frame = written[Int(row[0])!].pixels
        // The line is the two rows above the rounded top; the row above the top's whole part is in it either way.
        let (px, py) = (Int(x + w / 2), Int(y.rounded(.down)) - 1)
        let drawn = frame.pixel(x: px, y: py).map(Int.init),
            before = original[Int(row[0])!].pixels.pixel(x: px, y: py).map(Int.init)
        // H.264 at CRF 23 moves colours a little, chroma most: within 60 levels per channel.
        XCTAssertEqual(Double(drawn[0]), Double(colour.0), accuracy: 60, "\(drawn)")
        XCTAssertEqual(Double(drawn[1]), Double(colour.1), accuracy: 60, "\(drawn)")
        XCTAssertEqual(Double(drawn[2]), Double(colour.2), accuracy: 60, "\(drawn)")
        XCTAssertGreaterThan(
            zip(drawn, before).map { abs($0 - $1) }.max()!, 60, "the source there is not already that colour")
    }

    func testARotatedVideoIsWrittenUpright() throws {
        let path = TestMedia.fixture("rotated90.mp4")
        let folder = try analyse(path)
        let source = try MediaReader(path: path).info,
            annotated = try MediaReader(path: folder.appendingPathComponent("annotated.mp4").path).info
        XCTAssertEqual(source.rotationDegrees, 90)
        XCTAssertEqual(annotated.rotationDegrees, 0)
        XCTAssertEqual(annotated.width, source.width & ~1, "displayed width, as the upright frames are")
        XCTAssertEqual(annotated.height, source.height & ~1)
    }
}
