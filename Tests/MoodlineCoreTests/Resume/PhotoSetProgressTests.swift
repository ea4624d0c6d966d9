import Foundation
import MoodlineTestSupport
import XCTest
@testable import MoodlineCore

/// A photo set's counts come from its progress alone: this run's photos added to the checkpoint's, problems first.
final class PhotoSetProgressTests: XCTestCase {
    func testCountsCarryOverFromTheCheckpointAndFillTheOutcome() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let files = ["a.jpg", "b.jpg", "c.jpg"].map { folder.appendingPathComponent($0).path }
        var progress = PhotoSetProgress(
            key: "key", list: FileList(root: folder.path, files: files), folder: folder.path)
        let old = PhotoSetCheckpoint.CheckpointProblem(file: "a.jpg", frame: nil, code: "other", message: "earlier")
        progress.resume(
            from: PhotoSetCheckpoint(
                key: "key", filesDone: 1, doneDigest: "", partialFiles: [:], faces: 2, framesDecoded: 1,
                framesSampled: 1, filesRead: 1, problems: [old]))
        XCTAssertEqual(progress.filesDone, 1)
        progress.count(
            AnalysedFrame(
                stamp: FrameStamp(sequence: 0, index: 0, timeSeconds: 0, file: "b.jpg", fileIndex: 1), faces: []))
        try progress.photoWritten(1, faces: 2, sinks: [])
        XCTAssertEqual(
            PhotoSetCheckpoint.load(in: folder.path)?.filesDone, 2, "the checkpoint is saved after each photo")

        var outcome = InputOutcome(outputFolder: folder.path)
        outcome.problems = [InputProblem(file: "x", frame: nil, code: .other, message: "later")]
        progress.fill(&outcome)
        XCTAssertEqual([outcome.framesDecoded, outcome.framesSampled, outcome.filesRead], [2, 2, 2])
        XCTAssertEqual(outcome.problems.map(\.message), ["earlier", "later"])
    }
}
