import Foundation
@testable import MoodlineCore
import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// A track whose readings are all uncertain has an ID in `frames.csv` but no summary: `tracks.json` and the
/// report say which tracks were left out, so no ID in `frames.csv` goes unexplained.
final class TracksLeftOutTests: XCTestCase {
    /// A face at `x` with a sharp crop; `side` pixels wide, its reading leaning to happy by `lean`.
    private func face(x: Double, side: Double, lean: Float, random: inout SeededGenerator) -> AnalysedFace {
        let box = Box(x: x, y: 50, width: side, height: side)
        let detection = DetectedFace(
            box: box, score: 0.9, rightEye: Point(x: x + side * 0.3, y: 50 + side * 0.4),
            leftEye: Point(x: x + side * 0.7, y: 50 + side * 0.4))
        var probabilities = [Float](repeating: (1 - lean) / 7, count: 7)
        probabilities[Emotion.happy.index] += lean
        let scores = EmotionScores(probabilities: probabilities)
        let crop = PixelBuffer(
            width: 48, height: 48, layout: .grey,
            bytes: (0..<(48 * 48)).map { _ in UInt8.random(in: 0...255, using: &random) })
        return AnalysedFace(
            detection: detection, cropToSource: .identity, scores: scores,
            quality: FaceQuality(face: detection, crop: crop, scores: scores, settings: QualitySettings()))
    }

    func testTracksNeverKeptAreNamedInTracksJSONAndTheReport() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let input = PlannedInput(source: .video(path: "clip.mp4"), path: "clip.mp4", outputName: "clip")
        var definition = try TestPipelines.builtIn("interview")
        definition.outputs.formats = ["csv", "tracks", "report"].compactMap(OutputFormat.init(rawValue:))
        var random = SeededGenerator(seed: 3)
        var stages = OrderedStages(input: input, definition: definition, folder: folder.path)
        try stages.open()
        for n in 0..<10 {
            // Track 1: a clear face. Track 2: a face the classifier is unsure of in every frame.
            let faces = [
                face(x: 20, side: 200, lean: 0.8, random: &random), face(x: 400, side: 200, lean: 0, random: &random),
            ]
            XCTAssertFalse(faces[0].quality.isUncertain)
            XCTAssertTrue(faces[1].quality.isUncertain)
            try stages.consume(
                AnalysedFrame(stamp: FrameStamp(sequence: n, index: n, timeSeconds: Double(n) * 0.2), faces: faces))
        }
        var outcome = InputOutcome(outputFolder: folder.path)
        let summaries = stages.finish(into: &outcome)
        XCTAssertEqual(summaries.map(\.id), [1])
        XCTAssertEqual(outcome.tracksLeftOut, [2])
        let frames = try String(contentsOf: folder.appendingPathComponent("frames.csv"), encoding: .utf8)
        XCTAssertEqual(Set(frames.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[4] }), ["1", "2"])
        let tracks =
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("tracks.json")))
            as! [String: Any]
        XCTAssertEqual(tracks["tracks_left_out"] as? [Int], [2])
        XCTAssertEqual((tracks["tracks"] as! [[String: Any]]).map { $0["id"] as? Int }, [1])
        let report = try String(contentsOf: folder.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(report.contains("id=\"tracks-left-out\">Left out: track 2 (in frames.csv)"))
        XCTAssertFalse(report.contains("No face was found"))
    }
}
