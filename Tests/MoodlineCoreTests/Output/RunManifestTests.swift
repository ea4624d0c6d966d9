import Foundation
@testable import MoodlineCore
import MoodlineTestSupport
import XCTest

/// `run.json` as one typed value: written with the bytes the hand-built dictionary gave, and read back whole.
final class RunManifestTests: XCTestCase {
    private func sample() throws -> RunManifest {
        var definition = try TestPipelines.builtIn("interview")
        definition.smoothing.windowSeconds = 0.30000000000000004
        let media = try JSONValue(
            encoding: ["durationSeconds": 29.97002997002997, "width": 1920.0], keys: .convertToSnakeCase)
        return RunManifest(
            status: .partial, runRecord: .init(inputPath: "/in/a b/clip.mp4", fingerprint: nil, toolVersion: "9.9"),
            resumedAfterFiles: 2,
            input: .init(path: "clip.mp4", kind: "video", sizeBytes: 1234, media: media),
            pipeline: PipelineFile.json(definition),
            models: [
                .init(
                    name: "blazeface", file: "w/b.safetensors", sha256: "ab", licence: "Apache-2.0",
                    source: "https://x/y")
            ],
            counts: .init(framesDecoded: 10, framesSampled: 5, faces: 3, errors: 1, framesSearched: 5),
            timing: .init(wall: 1.23456, decode: 0.1, detect: 0, register: 12).rounded,
            errors: [
                .init(file: "clip.mp4", code: "damaged_stream", message: "bad \"frame\"", frame: nil),
                .init(file: "clip.mp4", code: "damaged_stream", message: "é/ü", frame: 7),
            ],
            outputs: ["frames.csv", "run.json"], outputBytes: ["frames.csv": 12, "report.html": 0],
            shard: ShardOrigin(index: 1, count: 2, setFiles: 3, setFingerprint: "f"),
            subjectReading: SubjectReading(emotion: "happy", share: 0.25),
            shotCuts: [ShotCut(frame: 48, timeSeconds: 2.002, difference: 0.61234)])
    }

    /// A video's cuts are listed (an empty list when there were none); a photo set's manifest says nothing of cuts.
    func testShotCutsAreListedForVideosAndLeftOutOtherwise() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        var manifest = try sample()
        try manifest.write(folder: folder.path)
        let text = { try String(contentsOf: folder.appendingPathComponent("run.json"), encoding: .utf8) }
        XCTAssertTrue(try text().contains(#""difference" : 0.612"#))
        XCTAssertTrue(try text().contains(#""time_s" : 2.002"#))
        manifest.shotCuts = []
        try manifest.write(folder: folder.path)
        XCTAssertEqual(RunManifest.read(folder: folder.path)?.shotCuts, [])
        manifest.shotCuts = nil
        try manifest.write(folder: folder.path)
        XCTAssertFalse(try text().contains("shot_cuts"))
        XCTAssertNil(RunManifest.read(folder: folder.path)?.shotCuts)
    }

    /// The bytes are those `JSONSerialization` writes for the same content (pretty, its own key order), as run.json
    /// was written before it was typed.
    func testWritesTheBytesJSONSerializationWrites() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        try sample().write(folder: folder.path)
        let written = try Data(contentsOf: folder.appendingPathComponent("run.json"))
        let object = try JSONDecoder().decode(JSONValue.self, from: written).foundationValue
        let expected = try JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        XCTAssertEqual(String(decoding: written, as: UTF8.self), String(decoding: expected, as: UTF8.self) + "\n")
        XCTAssertTrue(String(decoding: written, as: UTF8.self).contains(#""fingerprint" : null"#))
        XCTAssertTrue(String(decoding: written, as: UTF8.self).contains(#""frame" : null"#))
        XCTAssertTrue(String(decoding: written, as: UTF8.self).contains(#""window_s" : 0.30000000000000004"#))
    }

    func testReadsBackWhatItWrote() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let manifest = try sample()
        try manifest.write(folder: folder.path)
        XCTAssertEqual(RunManifest.read(folder: folder.path), manifest)
    }

    /// A manifest from before `output_bytes`, `resumed_after_files`, `frames_skipped` and `frames_searched` is read,
    /// with none of them (every sampled frame was searched then).
    func testReadsWhatEarlierVersionsOfTheSchemaWrote() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        try sample().write(folder: folder.path)
        let file = folder.appendingPathComponent("run.json")
        let text = try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: #""output_bytes" : \{[^}]*\},"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #""resumed_after_files" : 2,"#, with: "")
            .replacingOccurrences(of: #""frames_skipped" : 0,"#, with: "")
            .replacingOccurrences(of: #""frames_searched" : 5,"#, with: "")
        XCTAssertFalse(text.contains("frames_searched"))
        try Data(text.utf8).write(to: file)
        let read = try XCTUnwrap(RunManifest.read(folder: folder.path))
        XCTAssertEqual(read.outputBytes, [:])
        XCTAssertEqual(read.resumedAfterFiles, 0)
        XCTAssertEqual(read.counts, try sample().counts)
    }

    func testAnotherToolsFileIsNotAManifest() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        try Data(#"{"tool": {"name": "other"}, "status": "ok", "input": {"path": "x"}}"#.utf8).write(
            to: folder.appendingPathComponent("run.json"))
        XCTAssertNil(RunManifest.read(folder: folder.path))
    }

    /// The settings that decide the results ignore how many frames run at once.
    func testTheRecordedPipelineIgnoresConcurrency() throws {
        var definition = try TestPipelines.builtIn("interview")
        let before = RunRecord.identity(PipelineFile.json(definition))
        definition.concurrency.width = 7
        XCTAssertEqual(RunRecord.identity(PipelineFile.json(definition)), before)
        definition.detector.minimumScore = 0.25
        XCTAssertNotEqual(RunRecord.identity(PipelineFile.json(definition)), before)
    }
}

private extension JSONValue {
    /// The value as `JSONSerialization` takes it.
    var foundationValue: Any {
        switch self {
        case .null: NSNull()
        case .bool(let value): NSNumber(value: value)
        case .number(let value): NSNumber(value: value)
        case .string(let value): value
        case .array(let values): values.map(\.foundationValue)
        case .object(let values): values.mapValues(\.foundationValue)
        }
    }
}
