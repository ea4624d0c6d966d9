import Foundation
@testable import MoodlineCore
import MoodlineTestSupport
import XCTest

/// The decode stage alone: feed it an input, read what it hands on, check it finishes clean.
final class DecodeStageTests: XCTestCase {
    private func definition() throws -> PipelineDefinition {
        try TestPipelines.builtIn("interview")
    }

    func testVideoFramesArriveInSequenceThroughASmallBuffer() throws {
        let input = PlannedInput(source: .video(path: TestMedia.pexels), path: TestMedia.pexels, outputName: "pexels")
        let stage = DecodeStage(
            input: input, definition: try definition(), reporter: SilentReporter(), stop: StopRequest())
        let buffer = BoundedBuffer<SampledFrame>(capacity: 2)
        let result = ResultBox<DecodeStage.Result>()
        DispatchQueue.global().async {
            result.set(stage.run(into: buffer))
            buffer.finish()
        }
        var sequences: [Int] = [], times: [Double] = []
        while let frame = buffer.take() {
            sequences.append(frame.stamp.sequence)
            times.append(frame.stamp.timeSeconds)
            XCTAssertEqual(frame.scaleToSource, 1)
        }
        XCTAssertEqual(sequences, Array(0..<99))
        XCTAssertTrue(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        XCTAssertEqual(result.value?.sampled, 99)
        // Every frame is decoded or, when sampling cannot take it and nothing refers to it, skipped.
        XCTAssertEqual(result.value.map { $0.decoded + $0.skipped }, 472)
        XCTAssertGreaterThan(result.value?.skipped ?? 0, 100)
        XCTAssertEqual(result.value?.problems, [])
        XCTAssertNil(buffer.take(), "nothing is left over")
    }

    func testPhotoSetGoesOnPastUnreadableFiles() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let bad = folder.appendingPathComponent("bad.jpg").path
        _ = FileManager.default.createFile(atPath: bad, contents: Data("not a jpeg".utf8))
        let files = [TestMedia.astronaut, bad, TestMedia.multiFace]
        let input = PlannedInput(
            source: .photos(root: nil, files: files, skipped: []), path: folder.path, outputName: "set")
        let stage = DecodeStage(
            input: input, definition: try definition(), reporter: SilentReporter(), stop: StopRequest())
        let buffer = BoundedBuffer<SampledFrame>(capacity: 8)
        let result = stage.run(into: buffer)
        buffer.finish()
        // Every photo is one item, in order; the unreadable one carries its problem and no picture.
        var names: [String] = [], pictures: [Bool] = [], problems: [String] = []
        while let frame = buffer.take() {
            names.append(frame.stamp.file ?? "")
            pictures.append(frame.pixels != nil)
            problems += frame.problems.map(\.file)
        }
        XCTAssertEqual(names, ["astronaut.png", "bad.jpg", "multi_face.jpg"])
        XCTAssertEqual(pictures, [true, false, true])
        XCTAssertEqual(problems, ["bad.jpg"])
        XCTAssertEqual(result.sampled, 3)
    }

    func testPhotosDecodedTwoAtATimeArriveInTheSetsOrderEvenWhenALaterOneIsQuicker() throws {
        // A large photo first, then small and unreadable ones: with two in flight the small ones finish first, yet
        // every item comes out in the set's order, each with its own picture.
        let folder = try TestMedia.temporaryFolder(for: self)
        let large = folder.appendingPathComponent("a-large.jpg").path
        try TestProcess.ffmpeg(["-i", TestMedia.multiFace, "-vf", "scale=3000:2000", large])
        let bad = folder.appendingPathComponent("c-bad.jpg").path
        _ = FileManager.default.createFile(atPath: bad, contents: Data("not a jpeg".utf8))
        let files = [
            large, TestMedia.astronaut, bad, TestMedia.multiFace, large, TestMedia.astronaut, TestMedia.multiFace,
        ]
        let input = PlannedInput(
            source: .photos(root: nil, files: files, skipped: []), path: folder.path, outputName: "set")
        var definition = try definition()
        definition.decode.maximumSidePixels = 0
        let stage = DecodeStage(input: input, definition: definition, reporter: SilentReporter(), stop: StopRequest())
        let buffer = BoundedBuffer<SampledFrame>(capacity: 1)
        let taken = Box<[SampledFrame]>([])
        let reading = DispatchGroup()
        DispatchQueue.global().async(group: reading) {
            while let frame = buffer.take() { taken.value.append(frame) }
        }
        let result = stage.run(into: buffer)
        buffer.finish()
        reading.wait()
        let frames = taken.value
        XCTAssertEqual(result.sampled, files.count)
        XCTAssertEqual(frames.map(\.stamp.fileIndex), Array(0..<files.count).map { Optional($0) })
        XCTAssertEqual(frames.map { $0.pixels?.width ?? 0 }, [3000, 512, 0, 1000, 3000, 512, 1000])
    }
}

/// A value shared with the reading queue in one test; waiting for its group orders the accesses.
private final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
