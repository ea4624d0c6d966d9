import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// Each registered sink alone, through the harness: what it writes for frames drawn at random (seeded), and that a
/// discarded sink leaves nothing.
final class SinkTests: XCTestCase {
    private func definition() throws -> PipelineDefinition {
        try TestPipelines.builtIn("interview")
    }

    /// `count` frames of 0-3 faces with random boxes and probabilities.
    private func randomFrames(_ count: Int, seed: UInt64) -> [TrackedFrame] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { n in
            let faces = (0..<Int.random(in: 0...3, using: &random)).map { _ -> AnalysedFace in
                let x = Double.random(in: 0...600, using: &random), y = Double.random(in: 0...300, using: &random)
                let side = Double.random(in: 20...200, using: &random)
                var weights = (0..<7).map { _ in Float.random(in: 0.01...1, using: &random) }
                let total = weights.reduce(0, +)
                weights = weights.map { $0 / total }
                let face = DetectedFace(
                    box: Box(x: x, y: y, width: side, height: side), score: Double.random(in: 0.5...1, using: &random),
                    rightEye: Point(x: x + side * 0.3, y: y + side * 0.4),
                    leftEye: Point(x: x + side * 0.7, y: y + side * 0.4))
                let scores = EmotionScores(probabilities: weights)
                let crop = PixelBuffer(
                    width: 48, height: 48, layout: .grey,
                    bytes: (0..<(48 * 48)).map { _ in UInt8.random(in: 0...255, using: &random) })
                return AnalysedFace(
                    detection: face, cropToSource: .identity, scores: scores,
                    quality: FaceQuality(face: face, crop: crop, scores: scores, settings: QualitySettings()))
            }
            let frame = AnalysedFrame(
                stamp: FrameStamp(sequence: n, index: 5 * n, timeSeconds: Double(n) * 0.2), faces: faces)
            return TrackedFrame(frame: frame, trackIDs: faces.indices.map { $0 + 1 })
        }
    }

    func testCSVRowsCarryEveryFaceAndANoFaceRowForEmptyFrames() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let input = PlannedInput(source: .video(path: "clip.mp4"), path: "clip.mp4", outputName: "clip")
        let definition = try definition()
        let frames = randomFrames(40, seed: 7)
        let sink = try XCTUnwrap(
            try OutputSinks.make("csv", context: SinkContext(folder: folder.path, input: input, definition: definition))
        )
        let files = try SinkHarness.run(
            sink, frames: frames,
            finish: FinishEvent(
                input: input, definition: definition, tracks: [],
                outcome: InputOutcome(outputFolder: folder.path)),
            folder: folder)
        XCTAssertEqual(Array(files.keys), ["frames.csv"])
        let rows = String(decoding: files["frames.csv"]!, as: UTF8.self).split(separator: "\n").dropFirst()
        let expected = frames.reduce(0) { $0 + max(1, $1.frame.faces.count) }
        XCTAssertEqual(rows.count, expected)
        let fieldsOf = { (row: Substring) in row.split(separator: ",", omittingEmptySubsequences: false) }
        let noFace = rows.filter { fieldsOf($0)[2] == "0" }
        XCTAssertEqual(noFace.count, frames.filter { $0.frame.faces.isEmpty }.count)
        XCTAssertTrue(noFace.allSatisfy { fieldsOf($0).dropFirst(3).allSatisfy(\.isEmpty) })
        for row in rows where fieldsOf(row)[2] == "1" {
            let fields = fieldsOf(row)
            // frame, time_s, face_found, face, track, person, then the box and score: probabilities from the 12th.
            let probabilities = fields[11..<18].compactMap { Double($0) }
            XCTAssertEqual(probabilities.count, 7)
            XCTAssertEqual(probabilities.reduce(0, +), 1, accuracy: 0.001)
            // Then the quality gate's verdict: a flag, then the reasons (none when certain); the head pose closes the
            // row (yaw and roll in degrees, roll the eye line's angle).
            XCTAssertEqual(fields.count, 11 + 7 + 4 + 2)
            XCTAssertTrue(["true", "false"].contains(fields[fields.count - 4]))
            XCTAssertEqual(fields[fields.count - 4] == "true", !fields[fields.count - 3].isEmpty)
            XCTAssertNotNil(Double(fields[fields.count - 1]))
        }
    }

    func testEverySinkLeavesNothingWhenDiscarded() throws {
        let input = PlannedInput(source: .video(path: "clip.mp4"), path: "clip.mp4", outputName: "clip")
        var definition = try definition()
        // Segments, for the sink that needs them (the others ignore them).
        let segments = try TestMedia.temporaryFolder(for: self).appendingPathComponent("segments.csv")
        try Data("start,end,label\n0,1,first\n".utf8).write(to: segments)
        definition.outputs.segments = segments.path
        let photos = PlannedInput(
            source: .photos(root: "shoot", files: ["shoot/a.jpg"], skipped: []), path: "shoot", outputName: "shoot")
        let stream = PlannedInput(source: .stream(StreamAddress("-")!), path: "-", outputName: "stdin")
        for name in OutputSinks.names {
            let folder = try TestMedia.temporaryFolder(for: self)
            // Each output applies to videos, to photo sets, to live streams, or to several.
            let made =
                try OutputSinks.make(
                    name, context: SinkContext(folder: folder.path, input: input, definition: definition))
                ?? OutputSinks.make(
                    name, context: SinkContext(folder: folder.path, input: photos, definition: definition))
                ?? OutputSinks.make(
                    name, context: SinkContext(folder: folder.path, input: stream, definition: definition))
            let sink = try XCTUnwrap(made, name)
            let files = try SinkHarness.run(
                sink, frames: randomFrames(10, seed: 11),
                finish: FinishEvent(
                    input: input, definition: definition, tracks: [],
                    outcome: InputOutcome(outputFolder: folder.path)),
                folder: folder, discard: true)
            XCTAssertEqual(files.count, 0, "\(name) left \(files.keys.sorted())")
        }
    }
}
