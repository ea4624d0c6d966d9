import Foundation
import MoodlineCore
import MoodlineTestSupport
import XCTest

final class PipelineFileTests: XCTestCase {
    private func parse(_ json: String) throws -> PipelineDefinition {
        try PipelineFile.parse(Data(json.utf8), source: "test.json")
    }

    func testShippedPipelinesParseAndMatchTheBuiltInCopies() throws {
        for name in ["interview", "photos", "fast"] {
            let file = TestMedia.repositoryRoot.appendingPathComponent("Pipelines/\(name).json")
            let text = try String(contentsOf: file, encoding: .utf8)
            XCTAssertEqual(
                text.trimmingCharacters(in: .newlines), BuiltInPipelines.all[name],
                "Pipelines/\(name).json changed: run scripts/embed-pipelines.sh")
            XCTAssertNoThrow(try PipelineFile.load(path: file.path), name)
        }
        let interview = try PipelineFile.load(
            path: TestMedia.repositoryRoot.appendingPathComponent("Pipelines/interview.json").path)
        XCTAssertEqual(interview.sampling, .rate(framesPerSecond: 5))
        XCTAssertTrue(interview.tracking.enabled)
        let fast = try PipelineFile.load(
            path: TestMedia.repositoryRoot.appendingPathComponent("Pipelines/fast.json").path)
        XCTAssertEqual(fast.detector.model, .auto)
    }

    func testDefaultsFillMissingSections() throws {
        let definition = try parse(#"{"name": "minimal"}"#)
        XCTAssertEqual(definition.sampling, .rate(framesPerSecond: 5))
        XCTAssertEqual(definition.detector, DetectorSettings())
        XCTAssertEqual(definition.outputs.formats, OutputFormat.standard)
        XCTAssertFalse(
            definition.outputs.formats.contains(OutputFormat.annotatedVideo), "the annotated video is opt-in")
        XCTAssertEqual(definition.episodes, EpisodeSettings())
        XCTAssertEqual(definition.tracking.subject, .all)
    }

    /// Found by the fuzzer: Foundation's JSONSerialization read `0.1222…2` one unit off, so a definition written
    /// out and read again changed.
    func testDecimalsAreReadExactlyAndSurviveARoundTrip() throws {
        let definition = try parse(
            #"{"name": "x", "tracking": {"min_iou": 0.12222222222222222}, "smoothing": {"window_s": 0.30000000000000004}}"#
        )
        XCTAssertEqual(definition.tracking.minimumOverlap, 0.12222222222222222)
        XCTAssertEqual(definition.smoothing.windowSeconds, 0.30000000000000004)
        let written = try PipelineFile.data(definition)
        XCTAssertEqual(try PipelineFile.parse(written, source: "again"), definition)
        XCTAssertThrowsError(try parse(#"{"name": "x", "tracking": {"enabled": 1}}"#))
        XCTAssertThrowsError(try parse(#"{"name": "x", "tracking": {"min_iou": true}}"#))
    }

    func testClockTimesAndThePartOfAVideo() throws {
        XCTAssertEqual(DecodeSettings.seconds(fromClock: "90"), 90)
        XCTAssertEqual(DecodeSettings.seconds(fromClock: "90.5"), 90.5)
        XCTAssertEqual(DecodeSettings.seconds(fromClock: "1:30"), 90)
        XCTAssertEqual(DecodeSettings.seconds(fromClock: "01:02:03.250"), 3723.25)
        XCTAssertEqual(DecodeSettings.seconds(fromClock: "120:00"), 7200, "the first field may be any size")
        for bad in ["", "1:60", "1::2", "a", "-5", "1.5:00", "1:2:3:4", "1e3", "nan", "0x10"] {
            XCTAssertNil(DecodeSettings.seconds(fromClock: bad), bad)
        }
        let definition = try parse(#"{"name": "x", "decode": {"start_s": 10, "end_s": 20.5}}"#)
        XCTAssertEqual(definition.decode.startSeconds, 10)
        XCTAssertEqual(definition.decode.endSeconds, 20.5)
        XCTAssertThrowsError(try parse(#"{"name": "x", "decode": {"start_s": 10, "end_s": 5}}"#))
    }

    func testUnknownKeysAndBadValuesAreRejectedByName() {
        let cases: [(String, String)] = [
            (
                #"{"name": "x", "sampling": {"mode": "rate", "fsp": 5}}"#,
                "test.json: 'sampling.fsp' is not a known setting"
            ),
            (#"{"name": "x", "colour": "blue"}"#, "test.json: 'colour' is not a known setting"),
            (
                #"{"name": "x", "sampling": {"fps": -1}}"#,
                "test.json: 'sampling.fps' must be between 0 and 1000 (got -1.0)"
            ),
            (
                #"{"name": "x", "sampling": {"mode": "sometimes"}}"#,
                "test.json: 'sampling.mode' must be one of rate, every_frame, every_nth, key_frames (got sometimes)"
            ),
            (#"{"name": "x", "detector": {"min_score": "high"}}"#, "test.json: 'detector.min_score' must be a number"),
            (
                #"{"name": "x", "detector": {"model": "huge"}}"#,
                "test.json: 'detector.model' must be one of auto, full_range, short_range, centerface, whole_image (got huge)"
            ),
            (#"{"name": "x", "tracking": {"enabled": 1}}"#, "test.json: 'tracking.enabled' must be true or false"),
            (
                #"{"name": "x", "outputs": {"formats": ["csv", "xlsx"]}}"#,
                "test.json: 'outputs.formats' has unknown format xlsx (known: csv, jsonl, tracks, track_ends, persons, timeline, seconds, episodes, eaf, vtt, srt, segments, photos, report, annotate, readings, embeddings)"
            ),
            (
                #"{"name": "x", "concurrency": {"width": 0}}"#,
                "test.json: 'concurrency.width' must be between 1 and 64 (got 0)"
            ),
            (#"{"name": "x", "concurrency": {"width": 1.5}}"#, "test.json: 'concurrency.width' must be a whole number"),
            (#"["not", "an", "object"]"#, "test.json: must be a JSON object"),
            ("{oops", "test.json: is not valid JSON"),
        ]
        for (json, message) in cases {
            XCTAssertThrowsError(try parse(json), json) { error in
                XCTAssertEqual("\(error)", message)
            }
        }
    }
}
