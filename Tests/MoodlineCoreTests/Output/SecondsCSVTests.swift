import Foundation
@testable import MoodlineCore
import MoodlineTestSupport
import XCTest

/// `seconds.csv`: a row for every second of the analysed span, partial seconds marked, and a subject's second counted
/// once however many tracks hold it.
final class SecondsCSVTests: XCTestCase {
    /// A track with one reading at each of `times`, all leaning to `emotion` by `lean`.
    private func track(
        _ id: Int, at times: [Double], leaning emotion: Emotion = .happy, by lean: Float = 0.4
    ) -> TrackSummary {
        var probabilities = [Float](repeating: (1 - lean) / 7, count: 7)
        probabilities[emotion.index] += lean
        let scores = EmotionScores(probabilities: probabilities)
        let timeline = times.enumerated().map {
            TimelinePoint(frameIndex: $0.offset, timeSeconds: $0.element, scores: scores)
        }
        return TrackSummary(
            id: id, firstSeconds: times.first!, lastSeconds: times.last!, framesSeen: times.count,
            meanProbabilities: scores,
            timeShare: [0, 0, 0, 1, 0, 0, 0], screenSeconds: times.last! - times.first!,
            meanBox: Box(x: 0, y: 0, width: 10, height: 10), timeline: timeline)
    }

    private func rows(_ text: String) -> [[String: String]] {
        let lines = text.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    func testSecondsWithoutAFaceHaveRowsWithNoReadings() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let input = PlannedInput(source: .video(path: "clip.mp4"), path: "clip.mp4", outputName: "clip")
        var definition = try TestPipelines.builtIn("interview")
        definition.decode.endSeconds = 5.5
        let times = stride(from: 0.0, through: 5.4, by: 0.2).map { $0 }
        let frames = times.map {
            TrackedFrame(
                frame: AnalysedFrame(stamp: FrameStamp(sequence: 0, index: 0, timeSeconds: $0), faces: []), trackIDs: []
            )
        }
        let seen = track(1, at: [0, 0.2, 0.4, 1.0, 1.8, 4.0, 4.2])
        let sink = try XCTUnwrap(
            try OutputSinks.make(
                "seconds", context: SinkContext(folder: folder.path, input: input, definition: definition)))
        let files = try SinkHarness.run(
            sink, frames: frames,
            finish: FinishEvent(
                input: input, definition: definition, tracks: [seen], subject: 1,
                outcome: InputOutcome(outputFolder: folder.path)),
            folder: folder)
        let table = rows(String(decoding: try XCTUnwrap(files["seconds.csv"]), as: UTF8.self))
        XCTAssertEqual(table.map { $0["second"] }, ["0", "1", "2", "3", "4", "5"])
        XCTAssertEqual(table.map { $0["readings"] }, ["3", "2", "0", "0", "2", "0"])
        XCTAssertEqual(table.map { $0["duration_s"] }, ["1.000", "1.000", "1.000", "1.000", "1.000", "0.500"])
        XCTAssertTrue(
            table.allSatisfy {
                $0["person"] == "1" && $0["subject"] == "1" && $0["track"] == ($0["readings"] == "0" ? "" : "1")
            })
        XCTAssertEqual(table[2]["happy"], "")
        XCTAssertEqual(table[2]["dominant"], "")
        XCTAssertEqual(table[0]["dominant"], "happy")
    }

    func testATrailingPartialSecondSaysHowMuchOfItWasAnalysed() {
        let span = AnalysedSpan(
            decode: DecodeSettings(), durationSeconds: 600.12, isLive: false, firstFrame: 0, lastFrame: 600.0)
        XCTAssertEqual(span.endSeconds, 600.12, accuracy: 1e-9)
        XCTAssertEqual(span.durationSeconds(of: 599), 1)
        XCTAssertEqual(span.durationSeconds(of: 600), 0.12, accuracy: 1e-9)
        let rows = SecondsCSVWriter.rows(
            of: [track(1, at: [599.8, 600.0])], person: 1, subject: "0", span: span,
            analysedSeconds: Array(0...600), wholeSpan: true)
        XCTAssertEqual(rows.count, 601)
        XCTAssertTrue(rows.last!.hasPrefix("1,1,0,600,1,"), rows.last!)
        XCTAssertTrue(rows.last!.contains(",happy,0.120,"), rows.last!)
        // A part of a video: the first second after --start is partial too.
        let part = AnalysedSpan(
            decode: DecodeSettings(startSeconds: 7.3, endSeconds: 12), durationSeconds: 19.7, isLive: false,
            firstFrame: 7.4, lastFrame: 11.8)
        XCTAssertEqual(part.endSeconds, 12)
        XCTAssertEqual(part.durationSeconds(of: 7), 0.7, accuracy: 1e-9)
        // A stated duration far past the last frame (crafted, or audio outlasting the video) is not believed.
        let crafted = AnalysedSpan(
            decode: DecodeSettings(), durationSeconds: 1e9, isLive: false, firstFrame: 0, lastFrame: 19.6,
            stepSeconds: SecondsCSVWriter.stepSeconds(.rate(framesPerSecond: 5), frameRate: 30))
        XCTAssertEqual(crafted.endSeconds, 19.8, accuracy: 1e-9)
        // A live stream's clock starts anywhere: its span is its frames'.
        let live = AnalysedSpan(
            decode: DecodeSettings(), durationSeconds: nil, isLive: true, firstFrame: 5000.2, lastFrame: 5003.4)
        XCTAssertEqual(live.startSeconds, 5000.2)
        XCTAssertEqual(live.endSeconds, 5003.4)
    }

    func testOtherTracksRunFromTheirFirstReadingToTheirLast() {
        let span = AnalysedSpan(startSeconds: 0, endSeconds: 600)
        let rows = SecondsCSVWriter.rows(
            of: [track(2, at: [30.5, 33.2])], person: 2, subject: "0", span: span,
            analysedSeconds: Array(0...599), wholeSpan: false)
        XCTAssertEqual(
            rows.map { $0.split(separator: ",", omittingEmptySubsequences: false)[3] }, ["30", "31", "32", "33"])
        // No track had a reading in second 31: its `track` is empty.
        XCTAssertTrue(rows[1].hasPrefix("2,,0,31,0,,,,,,,,,1.000"), rows[1])
    }

    func testSecondsWithoutASampledFrameHaveNoRows() {
        // A jump in the timestamps (a crafted file's, or a stream's): nothing was looked at in between.
        let span = AnalysedSpan(startSeconds: 0, endSeconds: 1e12)
        let rows = SecondsCSVWriter.rows(
            of: [track(1, at: [0.2, 1e12 - 0.5])], person: 1, subject: "1", span: span,
            analysedSeconds: [0, 1, 999_999_999_999], wholeSpan: true)
        XCTAssertEqual(
            rows.map { $0.split(separator: ",", omittingEmptySubsequences: false)[3] }, ["0", "1", "999999999999"])
        XCTAssertEqual(rows.map { $0.split(separator: ",", omittingEmptySubsequences: false)[4] }, ["1", "0", "1"])
    }

    func testASubjectsSecondOnTwoTracksIsOneRowWeightedByReadings() {
        // A cut at 7.5 s: the face is track 1 until then and track 2 after.
        let before = track(1, at: [7.0, 7.2, 7.4], leaning: .sad, by: 0.8)
        let after = track(2, at: [7.6, 7.8], leaning: .happy, by: 0.8)
        let span = AnalysedSpan(startSeconds: 6, endSeconds: 8)
        let rows = SecondsCSVWriter.rows(
            of: [before, after], person: 1, subject: "1", span: span, analysedSeconds: [6, 7],
            wholeSpan: true)
        XCTAssertEqual(rows.count, 2)
        let fields = rows[1].split(separator: ",", omittingEmptySubsequences: false)
        XCTAssertEqual(fields[0], "1")
        // Track 1 has three of the second's five readings.
        XCTAssertEqual(fields[1], "1")
        XCTAssertEqual(fields[3], "7")
        XCTAssertEqual(fields[4], "5")
        // Three sad readings and two happy ones: 3/5 of sad's weight, 2/5 of happy's.
        let other = 0.2 / 7
        XCTAssertEqual(Double(fields[5 + Emotion.sad.index])!, 0.6 * 0.8 + other, accuracy: 1e-4)
        XCTAssertEqual(Double(fields[5 + Emotion.happy.index])!, 0.4 * 0.8 + other, accuracy: 1e-4)
        XCTAssertEqual(fields[12], "sad")
        XCTAssertEqual(fields[13], "1.000")
    }
}
