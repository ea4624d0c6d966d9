import Foundation
@testable import MoodlineCore
import MoodlineMedia
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// What happens around the analysis: folders that must not be escaped or mixed, reruns that skip or redo,
/// photo sets that resume, full disks, damaged weights and shards.
final class RecoveryTests: XCTestCase {
    override func setUp() {
        // As the command-line tool does: frames run in parallel, so one BLAS thread each.
        BLAS.setThreads(1)
    }

    func testOutputsNeverLeaveTheOutputFolder() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let output = base.appendingPathComponent("out")
        let input = base.appendingPathComponent("...jpg")
        try FileManager.default.copyItem(atPath: TestMedia.multiFace, toPath: input.path)
        let outcome = try batch(output).run(paths: [input.path], reporter: SilentReporter())
        XCTAssertTrue(outcome.succeeded)
        XCTAssertEqual(files(in: output), ["_..", "index.html"])
        XCTAssertEqual(files(in: base), ["...jpg", "out"], "nothing written beside the output folder")
    }

    func testALinkAtTheOutputNameIsNotFollowed() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let output = base.appendingPathComponent("out"), elsewhere = base.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: output.appendingPathComponent("multi_face").path, withDestinationPath: elsewhere.path)
        let outcome = try batch(output).run(paths: [TestMedia.multiFace], reporter: SilentReporter())
        XCTAssertEqual(outcome.results[0].outcome.status, .failed)
        XCTAssertTrue(
            outcome.results[0].outcome.problems[0].message.contains("symbolic link"),
            "\(outcome.results[0].outcome.problems)")
        XCTAssertEqual(files(in: elsewhere), [])
    }

    /// `x/a`, `y/a` and `a-2` once became `a`, `a-2`, `a-2`: one result overwrote another.
    func testInputsOfOneNameKeepSeparateResults() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        for (folder, source) in [("x", TestMedia.multiFace), ("y", TestMedia.astronaut)] {
            try FileManager.default.createDirectory(
                at: base.appendingPathComponent(folder), withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: source, toPath: base.appendingPathComponent("\(folder)/a.jpg").path)
        }
        try FileManager.default.copyItem(
            atPath: TestMedia.multiFace, toPath: base.appendingPathComponent("a-2.jpg").path)
        let output = base.appendingPathComponent("out")
        let paths = ["x/a.jpg", "y/a.jpg", "a-2.jpg"].map { base.appendingPathComponent($0).path }
        let outcome = try batch(output).run(paths: paths, reporter: SilentReporter())
        XCTAssertTrue(outcome.succeeded)
        let folders = outcome.results.map(\.input.outputName)
        XCTAssertEqual(Set(folders).count, 3, "\(folders)")
        for (result, faces) in zip(outcome.results, [5, 1, 5]) {
            let rows = try String(
                contentsOfFile: output.appendingPathComponent("\(result.input.outputName)/frames.csv").path,
                encoding: .utf8)
            XCTAssertEqual(rows.split(separator: "\n").count - 1, faces, result.input.path)
        }
    }

    func testRerunSkipsUnchangedRedoesChangedAndOverwriteRedoesAll() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let photo = base.appendingPathComponent("group.jpg")
        try FileManager.default.copyItem(atPath: TestMedia.multiFace, toPath: photo.path)
        let output = base.appendingPathComponent("out")
        let first = try batch(output).run(paths: [photo.path, TestMedia.astronaut], reporter: SilentReporter())
        XCTAssertTrue(first.succeeded)
        let csv = output.appendingPathComponent("group/frames.csv")
        let before = bytes(csv)

        let again = try batch(output).run(paths: [photo.path, TestMedia.astronaut], reporter: SilentReporter())
        XCTAssertEqual(again.results.map(\.outcome.skippedAsUnchanged), [true, true])
        XCTAssertTrue(again.succeeded)
        XCTAssertEqual(bytes(csv), before)

        // A changed file is analysed again, in place.
        try FileManager.default.removeItem(at: photo)
        try FileManager.default.copyItem(atPath: TestMedia.astronaut, toPath: photo.path)
        let changed = try batch(output).run(paths: [photo.path, TestMedia.astronaut], reporter: SilentReporter())
        XCTAssertEqual(changed.results.map(\.outcome.skippedAsUnchanged), [false, true])
        XCTAssertNotEqual(bytes(csv), before)

        let forced = try batch(output, overwrite: true).run(
            paths: [photo.path, TestMedia.astronaut], reporter: SilentReporter())
        XCTAssertEqual(forced.results.map(\.outcome.skippedAsUnchanged), [false, false])
    }

    /// A rerun skips an input only when every output its run.json lists is still there at its recorded size.
    func testRerunRedoesAnInputWhoseOutputsWereDeletedOrCutShort() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let output = base.appendingPathComponent("out")
        XCTAssertTrue(try batch(output).run(paths: [TestMedia.astronaut], reporter: SilentReporter()).succeeded)
        let folder = output.appendingPathComponent("astronaut")
        let csv = folder.appendingPathComponent("frames.csv"), report = folder.appendingPathComponent("report.html")
        let whole = try XCTUnwrap(bytes(csv))

        try FileManager.default.removeItem(at: csv)
        let deleted = try batch(output).run(paths: [TestMedia.astronaut], reporter: SilentReporter())
        XCTAssertEqual(deleted.results.map(\.outcome.skippedAsUnchanged), [false])
        XCTAssertEqual(bytes(csv), whole)

        try whole.prefix(whole.count / 2).write(to: csv)
        let truncated = try batch(output).run(paths: [TestMedia.astronaut], reporter: SilentReporter())
        XCTAssertEqual(truncated.results.map(\.outcome.skippedAsUnchanged), [false])
        XCTAssertEqual(bytes(csv), whole)

        try Data().write(to: report)
        XCTAssertEqual(
            try batch(output).run(paths: [TestMedia.astronaut], reporter: SilentReporter()).results.map(
                \.outcome.skippedAsUnchanged), [false])
        XCTAssertEqual(
            try batch(output).run(paths: [TestMedia.astronaut], reporter: SilentReporter()).results.map(
                \.outcome.skippedAsUnchanged), [true])
    }

    /// A rerun that fails leaves no results of the earlier run beside its failed run.json.
    func testAFailedRerunRemovesTheEarlierResults() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let photo = base.appendingPathComponent("group.jpg")
        try FileManager.default.copyItem(atPath: TestMedia.multiFace, toPath: photo.path)
        let output = base.appendingPathComponent("out")
        XCTAssertTrue(try batch(output).run(paths: [photo.path], reporter: SilentReporter()).succeeded)
        try Data("no longer a picture".utf8).write(to: photo)
        let outcome = try batch(output).run(paths: [photo.path], reporter: SilentReporter())
        XCTAssertEqual(outcome.results[0].outcome.status, .failed)
        XCTAssertEqual(files(in: output.appendingPathComponent("group")).filter { !$0.hasPrefix(".") }, ["run.json"])
    }

    /// A photo set stopped after two photos keeps its rows and checkpoint (no `.partial` file), and the rerun
    /// resumes to exactly the bytes of an uninterrupted run.
    func testAStoppedPhotoSetResumesToTheSameResult() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let folder = try photoFolder(base, count: 10)
        // One photo in flight at a time, so the stop lands mid-set.
        var oneAtATime = try pipeline("photos")
        oneAtATime.concurrency.width = 1
        oneAtATime.concurrency.bufferFrames = 1
        let whole = base.appendingPathComponent("whole"), resumed = base.appendingPathComponent("resumed")
        XCTAssertTrue(
            try batch(whole, photos: oneAtATime).run(paths: [folder.path], reporter: SilentReporter()).succeeded)

        let stop = StopRequest()
        let first = try batch(resumed, stop: stop, photos: oneAtATime).run(
            paths: [folder.path], reporter: StopAfter(frames: 2, stop: stop))
        XCTAssertEqual(first.results[0].outcome.status, .stopped)
        XCTAssertEqual(first.stoppedBy, SIGINT)
        let leftover = files(in: resumed.appendingPathComponent("event"))
        XCTAssertFalse(leftover.contains { $0.hasSuffix(".partial") }, "\(leftover)")
        XCTAssertFalse(leftover.contains("frames.csv"), "no final name for unfinished rows")
        XCTAssertTrue(leftover.contains(".checkpoint.json"))

        let second = try batch(resumed, photos: oneAtATime).run(paths: [folder.path], reporter: SilentReporter())
        XCTAssertEqual(second.results[0].outcome.status, .ok)
        XCTAssertGreaterThanOrEqual(second.results[0].outcome.resumedFiles, 2)
        XCTAssertLessThan(second.results[0].outcome.resumedFiles, 10)
        // The rows and fragments kept for regroup, too.
        for name in [
            "frames.csv", "frames.jsonl", "photos.csv", "persons.csv", "report.html", ".photos.csv.rows",
            ".report-fragments",
        ] {
            XCTAssertEqual(
                bytes(resumed.appendingPathComponent("event/\(name)")),
                bytes(whole.appendingPathComponent("event/\(name)")), name)
        }
        XCTAssertEqual(
            files(in: resumed.appendingPathComponent("event")),
            [
                ".frames.csv.rows", ".frames.jsonl.rows", ".moodline.lock", ".photos.csv.rows", ".report-fragments",
                "frames.csv", "frames.jsonl", "persons.csv", "photos.csv", "report.html", "run.json",
            ])
        func counts(_ output: URL) throws -> [String: Int] {
            let manifest =
                try JSONSerialization.jsonObject(
                    with: XCTUnwrap(bytes(output.appendingPathComponent("event/run.json"))))
                as? [String: Any]
            return try XCTUnwrap(manifest?["counts"] as? [String: Int])
        }
        let resumedCounts = try counts(resumed)
        XCTAssertEqual(resumedCounts["files_read"], 10)
        // Every photo is searched whole, and every face embedded, the resumed run's earlier ones too.
        XCTAssertEqual(resumedCounts["frames_searched"], 10)
        XCTAssertEqual(resumedCounts, try counts(whole), "the counts of the set, not of the resumed run alone")
    }

    /// A disk that fills up mid-write: the input fails with the reason, and no file appears under a final name.
    func testAFullDiskFailsTheInputWithItsReason() throws {
        let output = try TestMedia.temporaryFolder(for: self).appendingPathComponent("out")
        AtomicOutputFile.failWritesAfterBytes = { _ in 300 }
        defer { AtomicOutputFile.failWritesAfterBytes = nil }
        let reporter = CollectingReporter()
        let outcome = try batch(output).run(paths: [TestMedia.multiFace], reporter: reporter)
        XCTAssertEqual(outcome.results[0].outcome.status, .failed)
        XCTAssertTrue(outcome.taskFailed, "a full disk fails the task, not its input: a scheduler retries it")
        XCTAssertTrue(reporter.messages.contains { $0.contains("No space left on device") }, "\(reporter.messages)")
        XCTAssertEqual(
            files(in: output.appendingPathComponent("multi_face")).filter { !$0.hasPrefix(".") }, [],
            "not even run.json fits; nothing under a final name")
        XCTAssertEqual(
            files(in: output.appendingPathComponent("multi_face")), [".moodline.lock"], "and no partial file is left")
    }

    /// When only run.json cannot be written, the folder is not complete: the results committed before it go too.
    func testAFolderWithoutItsManifestKeepsNoResults() throws {
        let output = try TestMedia.temporaryFolder(for: self).appendingPathComponent("out")
        AtomicOutputFile.failWritesAfterBytes = { $0 == "run.json" ? 10 : nil }
        defer { AtomicOutputFile.failWritesAfterBytes = nil }
        let reporter = CollectingReporter()
        let outcome = try batch(output).run(paths: [TestMedia.multiFace], reporter: reporter)
        XCTAssertEqual(outcome.results[0].outcome.status, .failed)
        XCTAssertTrue(reporter.messages.contains { $0.contains("cannot write run.json") }, "\(reporter.messages)")
        XCTAssertEqual(files(in: output.appendingPathComponent("multi_face")), [".moodline.lock"])
    }

    /// The same on a real full file system, where the test may mount a small tmpfs.
    func testARealFullFileSystem() throws {
        let mountPoint = try TestMedia.temporaryFolder(for: self).appendingPathComponent("small")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        guard
            (try? TestProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=12k", "tmpfs", mountPoint.path]))?.status
                == 0
        else {
            throw XCTSkip("cannot mount a tmpfs here; the injected write failure covers this")
        }
        defer { _ = try? TestProcess.run("/bin/umount", [mountPoint.path]) }
        let reporter = CollectingReporter()
        let outcome = try batch(mountPoint).run(paths: [TestMedia.pexels], reporter: reporter)
        XCTAssertEqual(outcome.results[0].outcome.status, .failed)
        XCTAssertTrue(outcome.taskFailed, "a full disk fails the task, not its input: a scheduler retries it")
        XCTAssertTrue(reporter.messages.contains { $0.contains("No space left on device") }, "\(reporter.messages)")
        let left = files(in: mountPoint.appendingPathComponent("WolfgangLanger_Pexels"))
        XCTAssertFalse(
            left.contains { $0.hasSuffix(".partial") || $0 == "frames.csv" || $0 == "frames.jsonl" }, "\(left)")
    }

    /// Weights that give NaN are an error, not probabilities of 0 with status ok.
    func testNonFiniteModelOutputsFailTheInput() throws {
        let weights = try TestMedia.temporaryFolder(for: self).appendingPathComponent("Weights")
        try FileManager.default.copyItem(atPath: TestMedia.weights, toPath: weights.path)
        let file = weights.appendingPathComponent("emotion_moodline.safetensors")
        var data = [UInt8](try Data(contentsOf: file))
        let headerLength = data[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        for i in stride(from: 8 + headerLength, to: 8 + headerLength + 4096, by: 4) {
            data.replaceSubrange(i..<i + 4, with: [0, 0, 0xC0, 0x7F])
        }
        try Data(data).write(to: file)
        let manifestURL = weights.appendingPathComponent("MANIFEST.json")
        var manifest = try String(contentsOf: manifestURL, encoding: .utf8)
        let old = try ModelStore(folder: TestMedia.weights).manifest.model("emotion_moodline").sha256
        manifest = manifest.replacingOccurrences(of: old, with: SHA256.hexDigest(data))
        try manifest.write(to: manifestURL, atomically: true, encoding: .utf8)

        let output = try TestMedia.temporaryFolder(for: self)
        let outcome = try batch(output, weights: weights.path).run(
            paths: [TestMedia.multiFace], reporter: SilentReporter())
        let result = outcome.results[0].outcome
        XCTAssertEqual(result.status, .failed)
        XCTAssertEqual(result.problems.map(\.code), [.modelOutput])
        XCTAssertTrue(result.problems[0].message.contains("non-finite"))
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: output.appendingPathComponent("multi_face/frames.csv").path))
    }

    /// The crafted fragmented MP4 with timestamps near 2^62 goes through the whole pipeline.
    func testHugeTimestampsGoThroughTheWholeJob() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let crafted = try HostileMediaFixtures.craftedHugeTimestamps(in: base)
        let outcome = try batch(base.appendingPathComponent("out")).run(paths: [crafted], reporter: SilentReporter())
        XCTAssertNotEqual(outcome.results[0].outcome.status, .failed)
    }

    /// A folder holding another input's results is not overwritten by an input of the same name in a later run.
    func testAnotherInputsResultsAreNotOverwritten() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let inputs = try twoInputsOfOneName(base)
        let output = base.appendingPathComponent("out")
        XCTAssertTrue(try batch(output).run(paths: [inputs.first], reporter: SilentReporter()).succeeded)
        let second = try batch(output).run(paths: [inputs.second], reporter: SilentReporter())
        XCTAssertEqual(second.results[0].outcome.status, .failed)
        XCTAssertTrue(second.results[0].outcome.problems[0].message.contains("another input of the same name"))
        XCTAssertEqual(second.results[0].outcome.problems[0].code, .nameConflict)
        XCTAssertFalse(second.taskFailed, "the same on every retry: the input's problem, not the process's")
    }
}

/// Asks the batch to stop once `frames` frames of an input are done, as a SIGINT would.
private struct StopAfter: AnalysisReporter {
    let frames: Int
    let stop: StopRequest
    func inputStarted(_ input: PlannedInput, expectedFrames: Int?, alreadyDone: Int) {}
    func framesCompleted(_ input: PlannedInput, done: Int) { if done >= frames { stop.stop(signal: SIGINT) } }
    func problem(_ input: PlannedInput, _ problem: InputProblem) {}
    func inputFinished(_ input: PlannedInput, outcome: InputOutcome) {}
}

/// Keeps every problem message reported.
private final class CollectingReporter: AnalysisReporter, @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var messages: [String] { lock.withLock { stored } }
    func inputStarted(_ input: PlannedInput, expectedFrames: Int?, alreadyDone: Int) {}
    func framesCompleted(_ input: PlannedInput, done: Int) {}
    func problem(_ input: PlannedInput, _ problem: InputProblem) { lock.withLock { stored.append(problem.message) } }
    func inputFinished(_ input: PlannedInput, outcome: InputOutcome) {}
}
