import Foundation
@testable import MoodlineCore
import MoodlineTestSupport
import XCTest

/// `segments.csv`: per segment and person, counts and means that add up from the frames, the person's episodes,
/// and rows that say so where a segment has no face or no frame.
final class SegmentsTests: XCTestCase {
    private func face(lean emotion: Emotion, by lean: Float, uncertain: Bool = false) -> AnalysedFace {
        var probabilities = [Float](repeating: (1 - lean) / 7, count: 7)
        probabilities[emotion.index] += lean
        let detection = DetectedFace(
            box: Box(x: 10, y: 10, width: 100, height: 100), score: 0.9, rightEye: Point(x: 40, y: 50),
            leftEye: Point(x: 80, y: 50))
        return AnalysedFace(
            detection: detection, cropToSource: .identity, scores: EmotionScores(probabilities: probabilities),
            quality: FaceQuality(
                sharpness: 100, yawDegrees: 0, rollDegrees: 0, reasons: uncertain ? [.lowConfidence] : []))
    }

    private func rows(_ text: String) throws -> [[String: String]] {
        let table = try CSVTable(parsing: text)
        XCTAssertEqual(table.header, SegmentsCSVWriter.header(baseline: false))
        return table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0.fields)) }
    }

    func testSegmentRowsAddUpFromTheFrames() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let segmentsFile = folder.appendingPathComponent("questions.csv")
        try Data(
            "start,end,label,speaker\n0,1,Q1,ana\n0.5,2,\"Q2, long\",ana\n2,3,silence,\n5,6,after the end,\n".utf8
        ).write(to: segmentsFile)
        let input = PlannedInput(source: .video(path: "clip.mp4"), path: "clip.mp4", outputName: "clip")
        var definition = try TestPipelines.builtIn("interview")
        definition.outputs.segments = segmentsFile.path
        let sink = try XCTUnwrap(
            try OutputSinks.make(
                "segments", context: SinkContext(folder: folder.path, input: input, definition: definition)))
        // Frames every 0.25 s up to 2.75 s. Track 1 (t < 1) and track 3 (1 <= t < 2) are person 1, happy by 0.6;
        // track 2 (0.5 <= t < 1.5) is person 2, sad by 0.5, uncertain at 0.75 s. Nothing from 2 s on.
        var frames: [TrackedFrame] = []
        for n in 0..<12 {
            let t = Double(n) * 0.25
            var faces: [AnalysedFace] = []
            var tracks: [Int?] = []
            if t < 2 {
                faces.append(face(lean: .happy, by: 0.6))
                tracks.append(t < 1 ? 1 : 3)
            }
            if t >= 0.5, t < 1.5 {
                faces.append(face(lean: .sad, by: 0.5, uncertain: t == 0.75))
                tracks.append(2)
            }
            frames.append(
                TrackedFrame(
                    frame: AnalysedFrame(stamp: FrameStamp(sequence: n, index: n, timeSeconds: t), faces: faces),
                    trackIDs: tracks))
        }
        let persons = PersonTable(personOfTrack: [1: 1, 2: 2, 3: 1], persons: [])
        let episode = Episode(
            trackID: 3, emotion: .happy, onsetSeconds: 1.25, offsetSeconds: 1.75, peakSeconds: 1.5,
            peakProbability: 0.7)
        let files = try SinkHarness.run(
            sink, frames: frames,
            finish: FinishEvent(
                input: input, definition: definition, tracks: [], episodes: [episode], persons: persons, subject: 1,
                outcome: InputOutcome(outputFolder: folder.path)),
            folder: folder)
        let table = try rows(String(decoding: try XCTUnwrap(files["segments.csv"]), as: UTF8.self))
        let key = table.map { "\($0["segment"]!)/\($0["person"]!)" }
        XCTAssertEqual(key, ["1/1", "1/2", "2/1", "2/2", "3/1", "4/1"])

        // Q1, person 1: 4 frames (0, 0.25, 0.5, 0.75), all with the face, all read happy at 0.6 + 0.4/7.
        let q1 = table[0]
        XCTAssertEqual(q1["label"], "Q1")
        XCTAssertEqual(q1["speaker"], "ana")
        XCTAssertEqual(q1["subject"], "1")
        XCTAssertEqual(
            [q1["frames"], q1["face_frames"], q1["face_coverage"], q1["readings"]], ["4", "4", "1.0000", "4"])
        XCTAssertEqual(q1["happy"], FixedPoint.format(0.6 + 0.4 / 7, decimals: 4))
        XCTAssertEqual(q1["dominant"], "happy")
        XCTAssertEqual(q1["episodes"], "")
        // Valence and arousal from the mean probabilities.
        var means = [Double](repeating: 0.4 / 7, count: 7)
        means[Emotion.happy.index] += 0.6
        XCTAssertEqual(q1["valence"], FixedPoint.format(AffectCoordinates.of(means).valence, decimals: 4))
        // Q1, person 2: frames 0.5 and 0.75 show the face; the uncertain one is left out of the means.
        XCTAssertEqual(
            [table[1]["face_frames"], table[1]["face_coverage"], table[1]["readings"]], ["2", "0.5000", "1"])
        XCTAssertEqual(table[1]["subject"], "0")
        // Q2 (0.5 to 2 s, six frames): person 1 is tracks 1 and 3, merged; track 3's episode overlaps it.
        XCTAssertEqual(table[2]["label"], "Q2, long")
        XCTAssertEqual([table[2]["frames"], table[2]["face_frames"], table[2]["readings"]], ["6", "6", "6"])
        XCTAssertEqual(table[2]["episodes"], "happy 1.250-1.750")
        XCTAssertEqual([table[3]["face_frames"], table[3]["readings"]], ["4", "3"])
        // Silence: frames but no face; the subject's row says so rather than reading 0.
        XCTAssertEqual([table[4]["frames"], table[4]["face_frames"], table[4]["readings"]], ["4", "0", "0"])
        XCTAssertEqual(table[4]["happy"], "")
        XCTAssertEqual(table[4]["note"], "no face")
        // After the end of the video: no sampled frame at all.
        XCTAssertEqual(table[5]["note"], "no sampled frame")
    }

    /// Faces of a track that became no person (every reading uncertain) are left out, not added up in a row of
    /// their own, so coverage never passes 1.
    func testFacesOfNoPersonAreLeftOut() {
        var tally = SegmentTally(segments: [LabelledRange(start: 0, end: 1, label: "all")])
        let p = [Float](repeating: 1.0 / 7, count: 7)
        for t in [0.0, 0.5] {
            tally.add(
                time: t,
                faces: [1, 7, 8, 9].map { SegmentTally.Face(key: $0, probabilities: p, isUncertain: $0 != 1) })
        }
        let rows = tally.countsByPerson(0) { $0 == 1 ? 1 : nil }
        XCTAssertEqual(Array(rows.keys), [1])
        XCTAssertEqual(rows[1]?.faceFrames, 2)
    }

    func testASegmentWithoutAnyFaceOrSubjectHasOneRowSayingSo() throws {
        var tally = SegmentTally(segments: [LabelledRange(start: 0, end: 1, label: "empty")])
        tally.add(time: 0.5, faces: [])
        let folder = try TestMedia.temporaryFolder(for: self)
        let input = PlannedInput(source: .video(path: "clip.mp4"), path: "clip.mp4", outputName: "clip")
        let event = FinishEvent(
            input: input, definition: try TestPipelines.builtIn("interview"), tracks: [],
            outcome: InputOutcome(outputFolder: folder.path))
        let table = try rows(SegmentsCSVWriter.contents(tally, event: event))
        XCTAssertEqual(table.count, 1)
        XCTAssertEqual([table[0]["person"], table[0]["frames"], table[0]["note"]], ["", "1", "no face"])
    }

    func testAnUnreadableSegmentsFileLeavesTheOtherOutputsStanding() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let input = PlannedInput(source: .video(path: "clip.mp4"), path: "clip.mp4", outputName: "clip")
        var definition = try TestPipelines.builtIn("interview")
        definition.outputs.segments = folder.appendingPathComponent("gone.srt").path
        let sink = try XCTUnwrap(
            try OutputSinks.make(
                "segments", context: SinkContext(folder: folder.path, input: input, definition: definition)))
        XCTAssertTrue(sink.isOptional)
        // An earlier run's table would no longer match: it goes.
        let stale = folder.appendingPathComponent("segments.csv")
        try Data("old".utf8).write(to: stale)
        XCTAssertThrowsError(
            try sink.finish(
                FinishEvent(
                    input: input, definition: definition, tracks: [], outcome: InputOutcome(outputFolder: folder.path)))
        ) { XCTAssertTrue("\($0)".contains("gone.srt: is not a readable file"), "\($0)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path))
        // Without segments, or with `auto` and no transcript beside the video, there is no sink.
        definition.outputs.segments = nil
        XCTAssertNil(
            try OutputSinks.make(
                "segments", context: SinkContext(folder: folder.path, input: input, definition: definition)))
        definition.outputs.segments = OutputSettings.sidecarSegments
        XCTAssertNil(
            try OutputSinks.make(
                "segments", context: SinkContext(folder: folder.path, input: input, definition: definition)))
    }

    func testValenceAndArousalAreTheLexiconsWeightedMeans() {
        // One class throughout: its own ratings.
        var happy = [Float](repeating: 0, count: 7)
        happy[Emotion.happy.index] = 1
        XCTAssertEqual(AffectCoordinates.of(happy).valence, 1.000, accuracy: 1e-12)
        XCTAssertEqual(AffectCoordinates.of(happy).arousal, 0.735, accuracy: 1e-12)
        // Half sad, half surprise: (0.225 + 0.875) / 2 and (0.333 + 0.875) / 2; unnormalised weights are renormalised.
        var mixed = [Double](repeating: 0, count: 7)
        mixed[Emotion.sad.index] = 2
        mixed[Emotion.surprise.index] = 2
        XCTAssertEqual(AffectCoordinates.of(mixed).valence, 0.55, accuracy: 1e-12)
        XCTAssertEqual(AffectCoordinates.of(mixed).arousal, 0.604, accuracy: 1e-12)
    }

    func testABaselineIsARangeOrASegmentLabel() {
        XCTAssertEqual(BaselinePeriod("0:00-0:30"), .range(start: 0, end: 30))
        XCTAssertEqual(BaselinePeriod("12.5-20"), .range(start: 12.5, end: 20))
        XCTAssertEqual(BaselinePeriod("rest"), .label("rest"))
        XCTAssertEqual(BaselinePeriod("eyes-closed"), .label("eyes-closed"))
        XCTAssertNil(BaselinePeriod("30-10"))
        XCTAssertNil(BaselinePeriod(" "))
        let segments = [
            LabelledRange(start: 0, end: 5, label: "rest"), LabelledRange(start: 5, end: 9, label: "Q1"),
            LabelledRange(start: 9, end: 12, label: "rest"),
        ]
        XCTAssertEqual(BaselinePeriod.label("rest").ranges(segments: segments).map(\.start), [0, 9])
    }

    /// Person 1 reads happy 0.8 over the baseline (0 to 1 s) and 0.4 in the segment (1 to 2 s): happy_vs_baseline is
    /// 0.4 − 0.8 = −0.4, and each other emotion (0.6 − 0.2)/6 = 0.0667. Person 2 has no reading in the
    /// baseline: its differences are empty, with a note.
    func testEachEmotionRelativeToThePersonsOwnBaseline() throws {
        func probabilities(happy: Float) -> [Float] {
            var p = [Float](repeating: (1 - happy) / 6, count: 7)
            p[Emotion.happy.index] = happy
            return p
        }
        let segment = LabelledRange(start: 1, end: 2, label: "Q")
        var tally = SegmentTally(segments: [segment])
        var baseline = BaselineTally(.range(start: 0, end: 1), segments: [segment])
        for n in 0..<8 {
            let t = Double(n) * 0.25
            var faces = [
                SegmentTally.Face(key: 1, probabilities: probabilities(happy: t < 1 ? 0.8 : 0.4), isUncertain: false)
            ]
            if t >= 1 {
                faces.append(SegmentTally.Face(key: 2, probabilities: probabilities(happy: 0.5), isUncertain: false))
            }
            tally.add(time: t, faces: faces)
            baseline.add(time: t, faces: faces)
        }
        let means = baseline.means { $0 }
        XCTAssertEqual(means[1]?.readings, 4)
        XCTAssertNil(means[2])
        let folder = try TestMedia.temporaryFolder(for: self)
        let input = PlannedInput(source: .video(path: "clip.mp4"), path: "clip.mp4", outputName: "clip")
        let event = FinishEvent(
            input: input, definition: try TestPipelines.builtIn("interview"), tracks: [],
            persons: PersonTable(personOfTrack: [1: 1, 2: 2], persons: []),
            outcome: InputOutcome(outputFolder: folder.path))
        let table = try CSVTable(parsing: SegmentsCSVWriter.contents(tally, baseline: means, event: event))
        XCTAssertEqual(table.header, SegmentsCSVWriter.header(baseline: true))
        let rows = table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0.fields)) }
        XCTAssertEqual(rows.map { $0["person"] }, ["1", "2"])
        XCTAssertEqual(rows[0]["baseline_readings"], "4")
        XCTAssertEqual(rows[0]["happy_vs_baseline"], "-0.4000")
        // The others: (1 − 0.4)/6 − (1 − 0.8)/6 = 0.0667.
        XCTAssertEqual(rows[0]["sad_vs_baseline"], "0.0667")
        XCTAssertEqual(rows[0]["note"], "")
        XCTAssertEqual(
            [rows[1]["baseline_readings"], rows[1]["happy_vs_baseline"], rows[1]["note"]],
            ["0", "", "no baseline reading"])
    }
}
