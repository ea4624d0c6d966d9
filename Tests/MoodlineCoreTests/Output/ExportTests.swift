import Foundation
@testable import MoodlineCore
import MoodlineTestSupport
import XCTest

/// The episode exports against their formats' rules: subtitles (WebVTT, SubRip) and ELAN's EAF 3.0, checked with
/// xmllint against `Fixtures/eaf/EAFv3.0-subset.xsd`.
final class ExportTests: XCTestCase {
    private let video = PlannedInput(
        source: .video(path: "/data/interviews/clip one.mp4"), path: "/data/interviews/clip one.mp4",
        outputName: "clip one")

    private func definition() throws -> PipelineDefinition {
        try TestPipelines.builtIn("interview")
    }

    /// A track seen on frames `frames` (at 0.2 s each), happy rising from 0.3 in steps of 0.1.
    private func track(_ id: Int, frames: [Int] = []) -> TrackSummary {
        let timeline = frames.enumerated().map { n, frame in
            let happy = Float(0.3 + 0.1 * Double(n))
            let rest = (1 - happy) / 6
            return TimelinePoint(
                frameIndex: frame, timeSeconds: Double(frame) * 0.2,
                scores: EmotionScores(probabilities: [rest, rest, rest, happy, rest, rest, rest]))
        }
        return TrackSummary(
            id: id, firstSeconds: 0, lastSeconds: 30, framesSeen: 150,
            meanProbabilities: EmotionScores(probabilities: [0, 0, 0, 1, 0, 0, 0]),
            timeShare: [0, 0, 0, 1, 0, 0, 0], screenSeconds: 30, meanBox: Box(x: 0, y: 0, width: 10, height: 10),
            timeline: timeline)
    }

    /// Two tracks whose episodes overlap in time, and a subject.
    private func event(folder: URL) throws -> FinishEvent {
        let episodes = [
            Episode(
                trackID: 1, emotion: .sad, onsetSeconds: 1.0, offsetSeconds: 7.0, peakSeconds: 3, peakProbability: 0.8),
            Episode(
                trackID: 1, emotion: .happy, onsetSeconds: 9.5, offsetSeconds: 3_725.25, peakSeconds: 12,
                peakProbability: 0.93),
            Episode(
                trackID: 2, emotion: .fear, onsetSeconds: 5.0, offsetSeconds: 10.0, peakSeconds: 6,
                peakProbability: 0.61),
        ]
        return FinishEvent(
            input: video, definition: try definition(),
            tracks: [track(1, frames: [0, 1, 2]), track(2, frames: [2, 3])],
            episodes: episodes, subject: 2,
            outcome: InputOutcome(outputFolder: folder.path))
    }

    private func write(_ name: String, folder: URL) throws -> String {
        let context = SinkContext(folder: folder.path, input: video, definition: try definition())
        let sink = try XCTUnwrap(try OutputSinks.make(name, context: context))
        let files = try SinkHarness.run(sink, frames: [], finish: try event(folder: folder), folder: folder)
        return String(decoding: try XCTUnwrap(files[sink.fileName]), as: UTF8.self)
    }

    /// Every file the sinks of output `name` write, by file name.
    private func writeAll(_ name: String, folder: URL) throws -> [String: String] {
        var definition = try definition()
        definition.outputs.formats = [try XCTUnwrap(OutputFormat(rawValue: name))]
        let sinks = try OutputSinks.make(for: definition) {
            _ in SinkContext(folder: folder.path, input: self.video, definition: definition)
        }
        var written: [String: String] = [:]
        for (_, sink) in sinks {
            let files = try SinkHarness.run(sink, frames: [], finish: try event(folder: folder), folder: folder)
            written[sink.fileName] = String(decoding: try XCTUnwrap(files[sink.fileName]), as: UTF8.self)
        }
        return written
    }

    /// Cues as (start, end, text) in seconds, checking each timing line's form.
    private func cues(_ text: String, separator: Character) throws -> [(Double, Double, String)] {
        let pattern = try NSRegularExpression(
            pattern:
                "^(\\d{2}):(\\d{2}):(\\d{2})\(separator)(\\d{3}) --> (\\d{2}):(\\d{2}):(\\d{2})\(separator)(\\d{3})$")
        var found: [(Double, Double, String)] = []
        let blocks = text.components(separatedBy: "\n\n").filter { !$0.isEmpty && $0 != "WEBVTT" }
        for (n, block) in blocks.enumerated() {
            let lines = block.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.count, 3, block)
            XCTAssertEqual(lines[0], "\(n + 1)", "cues are numbered from 1")
            let match = try XCTUnwrap(
                pattern.firstMatch(in: lines[1], range: NSRange(lines[1].startIndex..., in: lines[1])), lines[1])
            let v = (1...8).map { Double((lines[1] as NSString).substring(with: match.range(at: $0)))! }
            XCTAssertLessThan(v[1], 60); XCTAssertLessThan(v[2], 60); XCTAssertLessThan(v[5], 60);
            XCTAssertLessThan(v[6], 60)
            found.append(
                (v[0] * 3600 + v[1] * 60 + v[2] + v[3] / 1000, v[4] * 3600 + v[5] * 60 + v[6] + v[7] / 1000, lines[2]))
        }
        return found
    }

    func testSubtitlesFollowTheFormatsRulesAndNeverOverlap() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let vtt = try write("vtt", folder: folder)
        XCTAssertTrue(vtt.hasPrefix("WEBVTT\n\n"))
        let srt = try write("srt", folder: folder)
        for (text, separator) in [(vtt, Character(".")), (srt, Character(","))] {
            let list = try cues(text, separator: separator)
            XCTAssertEqual(list.count, 5, "sad, sad+fear, fear, fear+happy, happy")
            for cue in list { XCTAssertLessThan(cue.0, cue.1) }
            for (a, b) in zip(list, list.dropFirst()) { XCTAssertLessThanOrEqual(a.1, b.0, "cues overlap: \(a) \(b)") }
            // The subject (person 2, track 2) comes first where both are on screen, marked with *.
            XCTAssertEqual(list[1].2, "P2* fear 0.61 · P1 sad 0.80")
            XCTAssertEqual(list[0].0, 1.0)
            XCTAssertEqual(list[4].1, 3_725.25, "past an hour: 01:02:05")
        }
        XCTAssertTrue(srt.contains("01:02:05,250"))
    }

    func testELANDocumentIsValidAgainstTheSchemaWithOneTierPerTrack() throws {
        let xmllint = "/usr/bin/xmllint"
        try XCTSkipUnless(
            FileManager.default.isExecutableFile(atPath: xmllint),
            "xmllint is not installed (Debian's libxml2-utils; scripts/install-system-packages.sh --checks)")
        let folder = try TestMedia.temporaryFolder(for: self)
        let eaf = try write("eaf", folder: folder)
        let schema = TestMedia.repositoryRoot.appendingPathComponent(
            "Tests/MoodlineCoreTests/Fixtures/eaf/EAFv3.0-subset.xsd"
        ).path
        let path = folder.appendingPathComponent("episodes.eaf").path
        let result = try TestProcess.run(xmllint, ["--noout", "--schema", schema, path])
        XCTAssertEqual(result.status, 0, result.errors)
        // A tier per person (each track is its own here: the event names no persons).
        XCTAssertTrue(eaf.contains("TIER_ID=\"person 2 (subject)\""))
        XCTAssertTrue(eaf.contains("TIER_ID=\"person 1\""))
        XCTAssertTrue(eaf.contains("MEDIA_URL=\"file:///data/interviews/clip%20one.mp4\""))
        XCTAssertEqual(eaf.components(separatedBy: "<ALIGNABLE_ANNOTATION ").count - 1, 3)
        XCTAssertTrue(eaf.contains("TIME_VALUE=\"3725250\""))
        // The seven labels as a controlled vocabulary, which the episode tiers' type uses and each episode names.
        XCTAssertEqual(eaf.components(separatedBy: "<CV_ENTRY_ML ").count - 1, 7)
        XCTAssertTrue(
            eaf.contains(
                "CONTROLLED_VOCABULARY_REF=\"emotion\" GRAPHIC_REFERENCES=\"false\" LINGUISTIC_TYPE_ID=\"emotion\""))
        XCTAssertTrue(eaf.contains("CVE_REF=\"cve_fear\">"))
        // Each episode's peak probability on a tier that depends on its track's, one per episode.
        XCTAssertTrue(eaf.contains("PARENT_REF=\"person 1\" TIER_ID=\"person 1 peak probability\""))
        XCTAssertEqual(eaf.components(separatedBy: "<REF_ANNOTATION ").count - 1, 3)
        XCTAssertTrue(
            eaf.contains("ANNOTATION_REF=\"a1\">\n                <ANNOTATION_VALUE>0.61</ANNOTATION_VALUE>"),
            "the subject's (track 2's) fear episode comes first")
        // The time series, linked by absolute and relative URL.
        XCTAssertTrue(eaf.contains("RELATIVE_LINK_URL=\"./episodes_tsconf.xml\""))
        XCTAssertTrue(eaf.contains("LINK_URL=\"file://\(MarkupText.urlPath(folder.path))/episodes_timeseries.csv\""))

        // The check can fail: an annotation pointing at a time slot that does not exist is refused.
        let broken = folder.appendingPathComponent("broken.eaf").path
        try eaf.replacingOccurrences(of: "TIME_SLOT_REF2=\"ts2\"", with: "TIME_SLOT_REF2=\"ts99\"").write(
            toFile: broken, atomically: true, encoding: .utf8)
        XCTAssertNotEqual(try TestProcess.run(xmllint, ["--noout", "--schema", schema, broken]).status, 0)
        // So is a probability pointing at no episode.
        try eaf.replacingOccurrences(of: "ANNOTATION_REF=\"a1\"", with: "ANNOTATION_REF=\"a99\"").write(
            toFile: broken, atomically: true, encoding: .utf8)
        XCTAssertNotEqual(try TestProcess.run(xmllint, ["--noout", "--schema", schema, broken]).status, 0)
    }

    func testELANOutputWritesTheSmoothedTimelineAsATimeSeriesELANCanRead() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let files = try writeAll("eaf", folder: folder)
        XCTAssertEqual(Set(files.keys), ["episodes.eaf", "episodes_timeseries.csv", "episodes_tsconf.xml"])

        // The data: time in seconds in column 0, 7 columns per track (the subject, track 2, first), NaN where a
        // track has no face, one row per sampled frame of any track.
        let rows = try XCTUnwrap(files["episodes_timeseries.csv"]).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        XCTAssertEqual(rows.count, 5, "a header and frames 0-3")
        XCTAssertEqual(rows[0][0], "# time_s", "ELAN skips lines that start with #")
        XCTAssertEqual(rows[0][1], "person 2 track 2 (subject) angry")
        XCTAssertEqual(rows[0][11], "person 1 track 1 happy")
        XCTAssertTrue(rows.allSatisfy { $0.count == 15 })
        XCTAssertEqual(rows.dropFirst().map { $0[0] }, ["0.000", "0.200", "0.400", "0.600"])
        XCTAssertEqual(rows[1][4], "NaN", "track 2 is not on frame 0")
        XCTAssertEqual(try XCTUnwrap(Double(rows[3][4])), 0.3, accuracy: 1e-6, "track 2's first reading")
        XCTAssertEqual(try XCTUnwrap(Double(rows[3][11])), 0.5, accuracy: 1e-6, "track 1's third reading")
        XCTAssertEqual(rows[4][11], "NaN", "track 1 has ended")

        // A stretch with no reading longer than the tracker's missing time gets a row of NaN, so the curves break.
        var gapped = try event(folder: folder)
        gapped = FinishEvent(
            input: gapped.input, definition: gapped.definition, tracks: [track(1, frames: [0, 1, 40, 41])],
            episodes: [], subject: 1, outcome: gapped.outcome)
        let gappedRows = try ELANTimeSeriesDataWriter(
            context: SinkContext(folder: folder.path, input: video, definition: try definition())
        ).contents(for: gapped).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        XCTAssertEqual(gappedRows.dropFirst().map { $0[0] }, ["0.000", "0.200", "4.100", "8.000", "8.200"])
        XCTAssertTrue(gappedRows[3].dropFirst().allSatisfy { $0 == "NaN" }, "the gap's row")

        // The configuration: one ELAN track per column, in order, on a 0-1 range in the report's colours.
        let config = try XCTUnwrap(files["episodes_tsconf.xml"])
        XCTAssertTrue(config.contains("time-column=\"0\""))
        XCTAssertTrue(
            config.contains("source-url=\"file://\(MarkupText.urlPath(folder.path))/episodes_timeseries.csv\""))
        XCTAssertTrue(config.contains("mpi.eudico.client.annotator.timeseries.csv.CSVServiceProvider"))
        for (n, name) in rows[0].enumerated().dropFirst() {
            XCTAssertTrue(config.contains("<track derivative=\"0\" name=\"\(name)\">\n"), name)
            XCTAssertTrue(config.contains("<pos col=\"\(n)\" row=\"0\"/>"), name)
        }
        XCTAssertEqual(config.components(separatedBy: "<range max=\"1.0\" min=\"0.0\"/>").count - 1, 14)
        XCTAssertTrue(config.contains("<color>242,183,1</color>"), "happy is the report's yellow")
        let xmllint = "/usr/bin/xmllint"
        if FileManager.default.isExecutableFile(atPath: xmllint) {
            let path = folder.appendingPathComponent("episodes_tsconf.xml").path
            XCTAssertEqual(try TestProcess.run(xmllint, ["--noout", path]).status, 0, "well-formed XML")
        }
    }

    func testEpisodesTableListsEachEpisodeWithTheSubjectMarked() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let lines = try write("episodes", folder: folder).split(separator: "\n")
        XCTAssertEqual(lines[0], "track,person,subject,emotion,onset_s,offset_s,duration_s,peak_s,peak_probability")
        XCTAssertEqual(lines[1], "1,1,0,sad,1.000,7.000,6.000,3.000,0.8000")
        XCTAssertEqual(lines[3], "2,2,1,fear,5.000,10.000,5.000,6.000,0.6100")
    }
}
