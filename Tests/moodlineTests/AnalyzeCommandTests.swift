import ArgumentParser
import Foundation
import MoodlineCore
import MoodlineTestSupport
import XCTest
@testable import moodline

final class AnalyzeCommandTests: XCTestCase {
    private let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func parseError(_ arguments: [String]) -> (message: String, code: Int32) {
        do {
            var command = try Moodline.parseAsRoot(arguments)
            try command.validate()
            return ("parsed", 0)
        } catch {
            return (Moodline.message(for: error), Moodline.exitCode(for: error).rawValue)
        }
    }

    func testUsageErrorsSayWhatToDoAndExit64() {
        XCTAssertEqual(
            parseError(["analyze", "--output", "out"]).message,
            "Give at least one video, photo, folder or stream (- for standard input) to analyse.")
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4"]).message, "Missing --output DIR: where to write the results.")
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4", "-o", "out", "--fps", "5", "--key-frames"]).message,
            "Choose one of --fps, --every-nth, --every-frame and --key-frames.")
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4", "-o", "out", "--formats", "csv,xlsx"]).message,
            "--formats: unknown format 'xlsx' (known: csv, jsonl, tracks, track_ends, persons, timeline, seconds, episodes, eaf, vtt, srt, segments, photos, report, annotate, readings, embeddings)."
        )
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4", "-o", "out", "--min-score", "2"]).message,
            "--min-score must be between 0 and 1 (got 2.0)")
        XCTAssertEqual(parseError(["analyze", "clip.mp4", "-o", "out", "--detector", "huge"]).code, 64)
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4", "-o", "out", "--detector", "huge"]).message,
            "--detector must be one of auto, full_range, short_range, centerface, whole_image (got huge)")
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4", "-o", "out", "--min-face-size", "big"]).message,
            "--min-face-size needs a number (got big)")
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4", "-o", "out", "--smoothing-window", "inf"]).message,
            "--smoothing-window must be between 0 and 3600 (got inf)")
        XCTAssertEqual(parseError(["analyze", "clip.mp4", "-o", "out", "--jobs", "0"]).code, 64)
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4", "-o", "out", "--start", "1:75"]).message,
            "--start needs a time in seconds (90.5) or [HH:]MM:SS[.fff] (got 1:75)")
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4", "-o", "out", "--start", "2:00", "--end", "1:00"]).message,
            "--end must be after the start (120.0 s) and at most 1e9 seconds (got 60.0)")
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4", "-o", "out", "--subject", "loudest"]).message,
            "--subject must be one of largest, longest, center, all (got loudest)")
        XCTAssertEqual(
            parseError([
                "analyze", "clip.mp4", "-o", "out", "--start", "0:30", "--end", "01:00:00", "--subject", "center",
            ]).message, "parsed")
        // Values that would overflow or that run.json cannot hold are refused as usage errors.
        XCTAssertEqual(parseError(["analyze", "clip.mp4", "-o", "out", "--smoothing-window", "inf"]).code, 64)
        XCTAssertEqual(parseError(["analyze", "clip.mp4", "-o", "out", "--min-face-size", "inf"]).code, 64)
        XCTAssertEqual(parseError(["analyze", "clip.mp4", "-o", "out", "--min-face-size", "nan"]).code, 64)
        XCTAssertEqual(parseError(["analyze", "clip.mp4", "-o", "out", "--fps", "inf"]).code, 64)
        XCTAssertEqual(parseError(["analyze", "clip.mp4", "-o", "out", "--shard", "4/3"]).code, 64)
        XCTAssertEqual(parseError(["analyze", "clip.mp4", "-o", "out", "--shard", "0/3"]).code, 64)
        XCTAssertEqual(parseError(["analyze", "clip.mp4", "-o", "out", "--shard", "2/3"]).message, "parsed")
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4", "-o", "out", "--every-nth", "9223372036854775807"]).message, "parsed")
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4", "-o", "out", "--fps", "2", "--detector", "short_range"]).message,
            "parsed")
    }

    func testABadPipelineFileNamesTheKey() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString).json")
        try Data(#"{"name": "mine", "tracking": {"max_missing": 2}}"#.utf8).write(to: file)
        addTeardownBlock { try? FileManager.default.removeItem(at: file) }
        let (message, code) = parseError(["analyze", "clip.mp4", "-o", "out", "--pipeline", file.path])
        XCTAssertEqual(message, "\(file.path): 'tracking.max_missing' is not a known setting")
        XCTAssertEqual(code, 64)
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4", "-o", "out", "--pipeline", "nonesuch"]).message,
            "--pipeline: no built-in pipeline 'nonesuch' (built in: fast, interview, photos); give a file as a path, e.g. ./nonesuch.json"
        )
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4", "-o", "out", "--pipeline", "./nonesuch.json"]).message,
            "./nonesuch.json: no such pipeline file")
        XCTAssertEqual(parseError(["analyze", "clip.mp4", "-o", "out", "--pipeline", "fast"]).message, "parsed")
    }

    /// The pipeline file is read once, when the command is parsed: `run()` uses what `validate()` read, so a file
    /// changed or removed in between changes nothing.
    func testThePipelineFileIsReadOnceWhenParsed() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString).json")
        try Data(#"{"name": "mine", "sampling": {"mode": "rate", "fps": 3}}"#.utf8).write(to: file)
        let parsed = try Moodline.parseAsRoot(["analyze", "clip.mp4", "-o", "out", "--pipeline", file.path])
        try FileManager.default.removeItem(at: file)
        let command = try XCTUnwrap(parsed as? AnalyzeCommand)
        let (video, photos) = try command.pipeline.definitions()
        XCTAssertEqual(video.name, "mine")
        XCTAssertEqual(photos.name, "mine")
    }

    /// Each flag's help says what the built-in pipelines set it to, read from their files: one value where they
    /// agree, each pipeline's where they differ, nothing for switches or settings no pipeline gives.
    func testHelpGivesEachFlagsDefaultPerBuiltInPipeline() throws {
        let help = Moodline.helpMessage(for: AnalyzeCommand.self, columns: 1000)
        // A flag's entry: its line and the lines its help wraps onto (a long name puts the help on the next).
        let lines = help.split(separator: "\n").map(String.init)
        func line(_ flag: String) throws -> String {
            let start = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("  --\(flag) ") }, flag)
            let rest = lines[(start + 1)...].prefix { $0.hasPrefix("     ") }
            return ([lines[start]] + rest.map { $0.trimmingCharacters(in: .whitespaces) }).joined(separator: " ")
        }
        XCTAssertTrue(try line("fps").hasSuffix("(default: interview 5, fast 2)"), "photos sample every frame")
        XCTAssertTrue(try line("min-confidence").hasSuffix("(default: 0.5)"))
        XCTAssertTrue(try line("smoothing-window").hasSuffix("(default: interview 1, fast 2, photos 0)"))
        XCTAssertTrue(try line("subject").hasSuffix("(default: interview longest, fast longest, photos all)"))
        XCTAssertTrue(try line("detector").hasSuffix("(default: auto)"))
        XCTAssertFalse(try line("start").contains("(default"), "no pipeline sets a start")
        XCTAssertFalse(try line("no-tracking").contains("(default"), "a switch")
        // The notes follow the files: the interview pipeline's fps, as its JSON gives it.
        let interview = try PipelineOptions.load("interview")
        guard case .rate(let fps) = interview.sampling else { return XCTFail("interview samples by rate") }
        XCTAssertTrue(try line("fps").contains("interview \(Int(fps))"))
    }

    /// The whole `analyze --help` at 100 columns, against the snapshot in Fixtures/analyze-help.txt: any change to a
    /// flag, its help or the examples shows up here, to be reviewed. Set MOODLINE_UPDATE_SNAPSHOTS=1 to rewrite it.
    func testHelpMatchesTheSnapshot() throws {
        let help = Moodline.helpMessage(for: AnalyzeCommand.self, columns: 100) + "\n"
        let snapshot = repositoryRoot.appendingPathComponent("Tests/moodlineTests/Fixtures/analyze-help.txt")
        if ProcessInfo.processInfo.environment["MOODLINE_UPDATE_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(
                at: snapshot.deletingLastPathComponent(), withIntermediateDirectories: true)
            try help.write(to: snapshot, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(help, try String(contentsOf: snapshot, encoding: .utf8))
    }

    func testBuiltBinaryAnalysesSamplesAndSignalsFailures() throws {
        let binary = Bundle.main.bundleURL.appendingPathComponent("moodline")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("moodline-cli-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: output) }
        let photo = repositoryRoot.appendingPathComponent("Samples/multi_face.jpg").path

        let ok = try run(binary, ["analyze", photo, "--output", output.path, "--quiet"])
        XCTAssertEqual(ok.status, 0, ok.errors)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: output.appendingPathComponent("multi_face/frames.csv").path))
        XCTAssertEqual(ok.errors, "", "--quiet prints nothing when all is well")

        let bad = try run(binary, ["analyze", photo, "/no/such/clip.mp4", "--output", output.path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.errors.contains("error: /no/such/clip.mp4: no such file or folder"), bad.errors)

        let usage = try run(binary, ["analyze", photo])
        XCTAssertEqual(usage.status, 64)
    }

    /// `analyse` (the README's prose spelling) is `analyze`; a mistyped command gets the nearest one, not a complaint
    /// about the option after it; a negative number is read as the flag's value and refused as out of range.
    func testSpellingsAndMistypedCommands() throws {
        let binary = Bundle.main.bundleURL.appendingPathComponent("moodline")
        let output = try TestMedia.temporaryFolder(for: self)
        XCTAssertEqual(try run(binary, ["analyse", TestMedia.astronaut, "-o", output.path, "--quiet"]).status, 0)
        let typo = try run(binary, ["analize", TestMedia.astronaut, "-o", output.path])
        XCTAssertEqual(typo.status, 64)
        XCTAssertTrue(
            typo.errors.contains("'analize' is not a moodline command. Did you mean 'moodline analyze'?"), typo.errors)
        let unknown = try run(binary, ["frobnicate"])
        XCTAssertEqual(unknown.status, 64)
        XCTAssertTrue(unknown.errors.contains("(commands: analyze, analyse, plan, merge"), unknown.errors)
        XCTAssertEqual(
            parseError(["analyze", "clip.mp4", "-o", "out", "--fps", "-3"]).message,
            "--fps must be between 0 and 1000 (got -3.0)")
        XCTAssertEqual(CommandSuggestion.distance("analize", "analyze"), 1)
        // A start past the end of the video: refused before any work, naming both.
        let late = try run(binary, ["analyze", TestMedia.pexels, "-o", output.path, "--start", "0:30"])
        XCTAssertEqual(late.status, 64)
        XCTAssertTrue(
            late.errors.contains("--start 30.00 s is at or after the end of \(TestMedia.pexels), which lasts 19.68 s."),
            late.errors)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: output.appendingPathComponent("WolfgangLanger_Pexels").path))
        XCTAssertNil(
            CommandSuggestion.message(for: "clip.mp4", commands: ["analyze"]), "a file name is not a mistyped command")
    }

    private func run(_ binary: URL, _ arguments: [String]) throws -> (status: Int32, errors: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
