import Foundation
import MoodlineMedia
import MoodlineTestSupport
import XCTest
@testable import MoodlineCore

/// The image-sequence source: what it claims, the files it stands for, its traits and the outputs they allow, and the
/// true times of its frames.
final class ImageSequenceInputTests: XCTestCase {
    func testOnlyOneNumberInTheFileNameMakesASequence() {
        XCTAssertNotNil(ImageSequenceInput.numberPattern(in: "%05d.png"))
        XCTAssertNotNil(ImageSequenceInput.numberPattern(in: "shot-%d.jpg"))
        XCTAssertNotNil(ImageSequenceInput.numberPattern(in: "100%%-%03d.png"))
        XCTAssertNil(ImageSequenceInput.numberPattern(in: "clip.mp4"))
        XCTAssertNil(ImageSequenceInput.numberPattern(in: "%d-%d.png"), "two numbers")
        XCTAssertNil(ImageSequenceInput.numberPattern(in: "%s.png"))
        XCTAssertNil(ImageSequenceInput.claim("/no/such/clip.mp4", InputOptions()))
    }

    func testThePlannerTakesAPatternAsOneTimedInput() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        // As FFmpeg reads them: from the first of 0-4 on, up to a gap (0003.png is not %05d, so 3 is missing).
        for name in ["00002.png", "00000.png", "00001.png", "00004.png", "0003.png", "notes.txt"] {
            XCTAssertTrue(
                FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data([1])))
        }
        let pattern = folder.appendingPathComponent("%05d.png").path
        XCTAssertEqual(
            ImageSequenceInput.files(matching: pattern).map { ($0 as NSString).lastPathComponent },
            ["00000.png", "00001.png", "00002.png"])

        let plan = InputPlanner.plan([pattern, pattern], options: InputOptions(sequenceFramesPerSecond: 12))
        XCTAssertEqual(plan.inputs.count, 1)
        let input = try XCTUnwrap(plan.inputs.first)
        XCTAssertEqual(input.source as? ImageSequenceInput, ImageSequenceInput(pattern: pattern, framesPerSecond: 12))
        XCTAssertEqual(
            input.outputName, folder.lastPathComponent, "named after its folder when the name is only the number")
        XCTAssertEqual(input.traits, SourceTraits(isLive: false, isReadableTwice: true, isPhotoSet: false))
        XCTAssertEqual(
            input.source.manifestFacts(sizeBytes: nil),
            InputFacts(kind: "sequence", sizeBytes: 3, files: 3, includesMedia: true))
        XCTAssertNotEqual(
            input.source.fingerprint(), ImageSequenceInput(pattern: pattern, framesPerSecond: 25).fingerprint(),
            "another rate is another analysis")
        XCTAssertTrue(
            InputPlanner.plan([pattern], options: InputOptions(confinedTo: "/proc")).inputs.isEmpty,
            "a pattern outside the allowed folder is not claimed")
    }

    /// A `%` in a folder's name is a folder's name, not a number to fill in; the files listed are those read.
    func testAPercentSignInTheFolderIsLiteral() throws {
        let folder = try TestMedia.temporaryFolder(for: self).appendingPathComponent("50% done")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // The ffmpeg tool reads its output path as a pattern too, hence its own `%%`.
        try TestProcess.ffmpeg([
            "-f", "lavfi", "-i", "color=c=red:s=32x24:r=10:d=0.3", "-start_number", "0",
            folder.path.replacingOccurrences(of: "%", with: "%%") + "/%03d.png",
        ])
        let pattern = folder.appendingPathComponent("%03d.png").path
        XCTAssertEqual(ImageSequenceInput.files(matching: pattern).count, 3)
        let reader = try MediaReader(sequence: pattern, framesPerSecond: 10)
        XCTAssertEqual(reader.info.width, 32)
    }

    func testEachOutputSaysWhichInputsItAppliesTo() throws {
        let definition = try TestPipelines.builtIn("interview")
        let folder = try TestMedia.temporaryFolder(for: self)
        let inputs = [
            PlannedInput(source: .video(path: "clip.mp4"), path: "clip.mp4", outputName: "clip"),
            PlannedInput(
                source: ImageSequenceInput(pattern: "f/%03d.png", framesPerSecond: 25), path: "f/%03d.png",
                outputName: "f"),
            PlannedInput(
                source: .photos(root: "shoot", files: ["shoot/a.jpg"], skipped: []), path: "shoot", outputName: "shoot"),
            PlannedInput(source: .stream(StreamAddress("-")!), path: "-", outputName: "stdin"),
        ]
        func applies(_ name: String) throws -> [Bool] {
            try inputs.map { input in
                guard
                    let sink = try OutputSinks.make(
                        name, context: SinkContext(folder: folder.path, input: input, definition: definition))
                else { return false }
                sink.discard()
                return true
            }
        }
        XCTAssertEqual(try applies("eaf"), [true, true, false, true])
        XCTAssertEqual(try applies("photos"), [false, false, true, false])
        XCTAssertEqual(try applies("track_ends"), [false, false, false, true])
        XCTAssertEqual(try applies("annotate"), [true, true, false, false])
        // One name, a sink for each scope: the timed page for frames in time, the contact sheet for a photo set.
        let reports = try inputs.map { input in
            try OutputSinks.make(
                "report", context: SinkContext(folder: folder.path, input: input, definition: definition))
        }
        XCTAssertEqual(reports.map { $0 is VideoReportWriter }, [true, true, false, true])
        XCTAssertEqual(reports.map { $0 is PhotoReportWriter }, [false, false, true, false])
        reports.forEach { $0?.discard() }
        XCTAssertEqual(OutputSinks.names.filter { $0 == "report" }.count, 1)
    }

    func testFramesAreAtTheirIndexOverTheRate() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        try TestProcess.ffmpeg([
            "-f", "lavfi", "-i", "testsrc=size=64x48:rate=30", "-frames:v", "6",
            folder.appendingPathComponent("f%03d.png").path,
        ])
        let reader = try MediaReader(sequence: folder.appendingPathComponent("f%03d.png").path, framesPerSecond: 4)
        var times: [Double] = []
        _ = try reader.decodeFrames { times.append($0.timing.timeSeconds) }
        XCTAssertEqual(times, [0, 0.25, 0.5, 0.75, 1, 1.25])
        XCTAssertFalse(reader.info.isStillImage)
        XCTAssertEqual(reader.info.averageFrameRate, 4)
    }
}
