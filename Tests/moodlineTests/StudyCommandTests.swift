import Foundation
import MoodlineCore
import MoodlineTestSupport
import XCTest

/// The study tools through the built tool: `analyze --segments` (its table adds up from `frames.csv`) and
/// `moodline agree` (a coding that is the tool's own reading agrees fully; labels outside the seven are counted and
/// left out; mistakes are named).
final class StudyCommandTests: XCTestCase {
    private var moodline: String { TestProcess.moodline }

    /// The sample's first 6 s analysed once, with three segments from a sidecar transcript, and the first 2.5 s as
    /// everyone's baseline.
    private func analysed() throws -> (folder: URL, results: URL) {
        let folder = try TestMedia.temporaryFolder(for: self)
        let video = folder.appendingPathComponent("talk.mp4")
        try TestProcess.ffmpeg([
            "-i", TestMedia.pexels, "-t", "6", "-an", "-vf", "scale=640:360", "-c:v", "libx264", video.path,
        ])
        try Data(
            """
            WEBVTT

            00:00.000 --> 00:02.500
            <v Interviewer>How was it?

            00:02.500 --> 00:05.900
            <v Ana>Hard, at first.

            00:30.000 --> 00:31.000
            After the end.

            """.utf8
        ).write(to: folder.appendingPathComponent("talk.vtt"))
        let output = folder.appendingPathComponent("out")
        let run = try TestProcess.run(
            moodline, ["analyze", video.path, "-o", output.path, "--segments", "auto", "--baseline", "0-2.5", "-q"])
        XCTAssertEqual(run.status, 0, run.errors)
        return (folder, output.appendingPathComponent("talk"))
    }

    private func table(_ url: URL) throws -> [[String: String]] {
        let table = try CSVTable(parsing: try String(contentsOf: url, encoding: .utf8))
        return table.rows.map { Dictionary(uniqueKeysWithValues: zip(table.header, $0.fields)) }
    }

    /// `--segments auto` names, before any work, each video that has no transcript beside it; the others are not
    /// named, and the run goes on.
    func testSegmentsAutoNamesTheVideosWithoutATranscript() throws {
        let folder = try TestMedia.temporaryFolder(for: self).appendingPathComponent("talks")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["with", "without"] {
            try TestProcess.ffmpeg([
                "-i", TestMedia.pexels, "-t", "1", "-an", "-vf", "scale=320:-2", "-c:v", "libx264",
                folder.appendingPathComponent("\(name).mp4").path,
            ])
        }
        try Data("1\n00:00:00,000 --> 00:00:01,000\nHello\n".utf8).write(to: folder.appendingPathComponent("with.srt"))
        let output = folder.deletingLastPathComponent().appendingPathComponent("out")
        let run = try TestProcess.run(moodline, ["analyze", folder.path, "-o", output.path, "--segments", "auto"])
        XCTAssertEqual(run.status, 0, run.errors)
        XCTAssertTrue(
            run.errors.contains(
                "warning: --segments auto: \(folder.path)/without.mp4 has no transcript beside it (without.srt, without.vtt, without.eaf, without.csv)"
            ), run.errors)
        XCTAssertFalse(run.errors.contains("with.mp4 has no transcript"), run.errors)
        XCTAssertTrue(FileManager.default.fileExists(atPath: output.appendingPathComponent("with/segments.csv").path))
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: output.appendingPathComponent("without/segments.csv").path))
    }

    func testSegmentsAddUpFromFramesAndAgreeComparesWithCoders() throws {
        let (folder, results) = try analysed()
        let frames = try table(results.appendingPathComponent("frames.csv"))
        let segments = try table(results.appendingPathComponent("segments.csv"))
        XCTAssertEqual(segments.map { $0["label"]! }.prefix(2), ["How was it?", "Hard, at first."])
        XCTAssertEqual(segments.map { $0["speaker"]! }.prefix(2), ["Interviewer", "Ana"])
        XCTAssertEqual(segments.last?["note"], "no sampled frame")
        // The report marks the segments on its time axes, each with its label and times.
        let report = try String(contentsOf: results.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(report.contains("aria-label=\"segments\""))
        XCTAssertTrue(report.contains("<title>Hard, at first. 0:02.5–0:05.9</title>"), "segments' tooltips")

        // Every row with readings: its counts and means recomputed from frames.csv. The frames' probabilities are
        // rounded to 4 decimals, and so are the means: they agree within 1e-4.
        var checked = 0
        for row in segments where row["readings"] != "0" {
            let start = Double(row["start_s"]!)!, end = Double(row["end_s"]!)!
            let inside = frames.filter { Double($0["time_s"]!)! >= start && Double($0["time_s"]!)! < end }
            let times = Set(inside.map { $0["time_s"]! })
            let faces = inside.filter { $0["person"] == row["person"] }
            let read = faces.filter { $0["uncertain"] == "false" }
            XCTAssertEqual(Int(row["frames"]!), times.count)
            XCTAssertEqual(Int(row["face_frames"]!), Set(faces.map { $0["time_s"]! }).count)
            XCTAssertEqual(Int(row["readings"]!), read.count)
            // The baseline: the person's certain readings in the first 2.5 s.
            let rest = frames.filter {
                $0["person"] == row["person"] && $0["uncertain"] == "false" && Double($0["time_s"]!)! < 2.5
            }
            XCTAssertEqual(Int(row["baseline_readings"]!), rest.count)
            for emotion in Emotion.allCases {
                let mean = read.map { Double($0[emotion.rawValue]!)! }.reduce(0, +) / Double(read.count)
                XCTAssertEqual(Double(row[emotion.rawValue]!)!, mean, accuracy: 1e-4, "\(emotion) in \(row["label"]!)")
                let restMean = rest.map { Double($0[emotion.rawValue]!)! }.reduce(0, +) / Double(rest.count)
                XCTAssertEqual(
                    Double(row["\(emotion.rawValue)_vs_baseline"]!)!, mean - restMean, accuracy: 2e-4,
                    "\(emotion) in \(row["label"]!) against the baseline")
            }
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 2)

        // A coder whose labels are the tool's own certain readings of person 1 agrees on every frame compared.
        // A second coder calls every frame from 3 s "laughing": counted, and left out.
        let own = frames.filter { $0["person"] == "1" && $0["uncertain"] == "false" }
        var coderA = "start,end,label\n", coderB = "start,end,label\n"
        for row in own {
            let t = Double(row["time_s"]!)!
            coderA += "\(t),\(t + 0.05),\(row["emotion"]!)\n"
            coderB += "\(t),\(t + 0.05),\(t >= 3 ? "laughing" : row["emotion"]!.uppercased())\n"
        }
        try Data(coderA.utf8).write(to: folder.appendingPathComponent("a.csv"))
        try Data(coderB.utf8).write(to: folder.appendingPathComponent("b.csv"))
        let agree = try TestProcess.run(
            moodline,
            [
                "agree", results.path, "--coding", folder.appendingPathComponent("a.csv").path, "--coding",
                folder.appendingPathComponent("b.csv").path, "-o", folder.appendingPathComponent("agreement").path,
            ])
        XCTAssertEqual(agree.status, 0, agree.errors)
        XCTAssertTrue(agree.output.contains("moodline vs a.csv: \(own.count) frames, agreement 1.000"), agree.output)
        XCTAssertTrue(agree.output.contains("laughing"), agree.output)
        let json = try XCTUnwrap(
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: folder.appendingPathComponent("agreement/agreement.json"))) as? [String: Any])
        XCTAssertEqual(json["person"] as? Int, 1)
        let coders = try XCTUnwrap(json["coders"] as? [[String: Any]])
        let laughing = (coders[1]["labels_outside_the_seven"] as? [String: Int])?["laughing"]
        XCTAssertEqual(laughing, own.filter { Double($0["time_s"]!)! >= 3 }.count)
        let humans = try XCTUnwrap(json["coders_against_each_other"] as? [String: Any])
        XCTAssertEqual(humans["compared"] as? Int, own.count - (laughing ?? 0))
        XCTAssertEqual(humans["observed"] as? Double, 1)
        let page = try String(contentsOf: folder.appendingPathComponent("agreement/agreement.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("the human ceiling"))
    }

    func testAgreeNamesWhatItCannotUse() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let coding = folder.appendingPathComponent("c.csv")
        try Data("start,end,label\n0,1,happy\n".utf8).write(to: coding)
        let noResults = try TestProcess.run(moodline, ["agree", folder.path, "--coding", coding.path])
        XCTAssertEqual(noResults.status, 1)
        XCTAssertTrue(noResults.errors.contains("frames.csv: cannot be read"), noResults.errors)
        let noCoding = try TestProcess.run(moodline, ["agree", folder.path])
        XCTAssertEqual(noCoding.status, 64)
        let badMap = try TestProcess.run(
            moodline, ["agree", folder.path, "--coding", coding.path, "--map", "glad=joyful"])
        XCTAssertEqual(badMap.status, 64)
        XCTAssertTrue(badMap.errors.contains("'glad=joyful' maps to 'joyful', not one of"), badMap.errors)
        let badSegments = try TestProcess.run(
            moodline, ["analyze", TestMedia.astronaut, "-o", folder.path, "--segments", coding.path + ".srt"])
        XCTAssertEqual(badSegments.status, 64)
        XCTAssertTrue(badSegments.errors.contains("--segments: \(coding.path).srt: is not a readable file"))
    }

    func testSummarizeJoinsPersonsSegmentsAndTheStudysOwnColumns() throws {
        let (folder, results) = try analysed()
        let metadata = folder.appendingPathComponent("participants.csv")
        try Data("video,participant,condition\ntalk.mp4,P01,A\nnobody,P99,B\n".utf8).write(to: metadata)
        let study = folder.appendingPathComponent("study.csv")
        let run = try TestProcess.run(
            moodline,
            ["summarize", results.deletingLastPathComponent().path, "-o", study.path, "--metadata", metadata.path])
        XCTAssertEqual(run.status, 0, run.errors)
        XCTAssertTrue(run.errors.contains("warning: the metadata's 'nobody' names no input"), run.errors)
        let rows = try table(study)
        let persons = rows.filter { $0["level"] == "person" }, segments = rows.filter { $0["level"] == "segment" }
        let segmentsCSV = try table(results.appendingPathComponent("segments.csv"))
        XCTAssertEqual(persons.count, 1)
        XCTAssertEqual(segments.count, segmentsCSV.count)
        XCTAssertTrue(rows.allSatisfy { $0["participant"] == "P01" && $0["condition"] == "A" })
        // Segment rows carry segments.csv's figures; person rows persons.json's, with valence and arousal.
        for (row, original) in zip(segments, segmentsCSV) {
            XCTAssertEqual(row["happy"], original["happy"])
            XCTAssertEqual(row["frames_with_face"], original["face_frames"])
            XCTAssertEqual(row["happy_vs_baseline"], original["happy_vs_baseline"])
        }
        XCTAssertNotEqual(persons[0]["valence"], "")
        XCTAssertEqual(persons[0]["baseline_readings"], segmentsCSV[0]["baseline_readings"])
        let noResults = try TestProcess.run(moodline, ["summarize", folder.path + "/none", "-o", study.path])
        XCTAssertEqual(noResults.status, 1)
        XCTAssertTrue(noResults.errors.contains("holds no results"), noResults.errors)
    }
}
