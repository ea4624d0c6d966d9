import Foundation
@testable import MoodlineCore
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// What shards record, how merge reads folder names and joins report fragments, and the batch index.
final class ShardRecordTests: XCTestCase {
    override func setUp() {
        BLAS.setThreads(1)
    }

    func testShardsRecordTheWholeListingTheyWereCutFrom() throws {
        let folder = try TestMedia.temporaryFolder(for: self).appendingPathComponent("event")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for i in 0..<5 { try Data([UInt8(i)]).write(to: folder.appendingPathComponent("p\(i).jpg")) }
        let whole = try XCTUnwrap(InputPlanner.plan([folder.path]).inputs.first)
        let fingerprint = try XCTUnwrap(InputFingerprint.of(whole)).text
        var parts: [[String]] = []
        for k in 1...3 {
            let input = try XCTUnwrap(InputPlanner.plan([folder.path], shard: Shard("\(k)/3")).inputs.first)
            XCTAssertEqual(input.outputName, "event.shard-\(k)-of-3")
            XCTAssertEqual(input.shardOf, ShardOrigin(index: k, count: 3, setFiles: 5, setFingerprint: fingerprint))
            guard let files = input.source.fileList?.files else { return XCTFail("not photos") }
            parts.append(files.map { ($0 as NSString).lastPathComponent })
        }
        XCTAssertEqual(parts, [["p0.jpg"], ["p1.jpg", "p2.jpg"], ["p3.jpg", "p4.jpg"]])
        XCTAssertNil(whole.shardOf)
    }

    /// A folder whose name clashes with a video's gets the same tagged name in every shard, as unsharded.
    func testShardsNameClashingFoldersAsTheUnshardedRun() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let folder = base.appendingPathComponent("event")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data([1]).write(to: folder.appendingPathComponent("a.jpg"))
        try Data([1]).write(to: base.appendingPathComponent("event.mp4"))
        let paths = [folder.path, base.appendingPathComponent("event.mp4").path]
        let unsharded = InputPlanner.plan(paths).inputs.first { $0.traits.isPhotoSet }?.outputName
        for k in 1...2 {
            let name = InputPlanner.plan(paths, shard: Shard("\(k)/2")).inputs.first { $0.traits.isPhotoSet }?
                .outputName
            XCTAssertEqual(name, unsharded.map { $0 + ".shard-\(k)-of-2" })
        }
    }

    func testOnlyNamesThePlannerGivesAreShardFolders() {
        XCTAssertEqual(ShardMerge.parse("event.shard-2-of-3").map { "\($0.0) \($0.1)" }, "event 2/3")
        XCTAssertEqual(ShardMerge.parse("a.shard-1.shard-1-of-1").map { "\($0.0) \($0.1)" }, "a.shard-1 1/1")
        for name in [
            "..shard-1-of-1", ".shard-1-of-1", "...shard-1-of-1", "shard-1-of-1", ".x.shard-1-of-1",
            "a\nb.shard-1-of-1",
            "a/b.shard-1-of-1", "x.shard-99999999999999999999-of-99999999999999999999", "x.shard-1-of-100001",
            "x.shard-0-of-0", "x.shard-2-of-1", "x.shard--1-of-1", "x.shard-01-of-1", "x.shard-1-of-1-of-1",
            "x.shard-1-of-",
        ] {
            XCTAssertNil(ShardMerge.parse(name), name.debugDescription)
        }
    }

    func testAnUnsafeOutputFolderNameIsAnErrorNotATrap() throws {
        let output = try TestMedia.temporaryFolder(for: self)
        for name in ["", ".", "..", "a/b", "a\u{0}b"] {
            XCTAssertThrowsError(try OutputFolder(directory: output.path, name: name), name.debugDescription)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: output.path), [])
    }

    /// Three runs into one output folder: the index lists all three inputs, sorted, with a cell each for input and
    /// status; folders of other tools and shard folders are left out.
    func testTheIndexListsEveryInputInTheOutputFolder() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let output = base.appendingPathComponent("out")
        let shoot = base.appendingPathComponent("shoot")
        try FileManager.default.createDirectory(at: shoot, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: TestMedia.astronaut, toPath: shoot.appendingPathComponent("a.png").path)
        let batch = BatchAnalysis(
            videoPipeline: try TestPipelines.builtIn("interview"), photoPipeline: try TestPipelines.builtIn("photos"),
            models: try ModelStore(folder: TestMedia.weights), outputDirectory: output.path)
        let other = BatchAnalysis(
            videoPipeline: try TestPipelines.builtIn("interview"), photoPipeline: try TestPipelines.builtIn("photos"),
            models: try ModelStore(folder: TestMedia.weights), outputDirectory: output.path, shard: Shard("1/1"))
        try FileManager.default.createDirectory(
            at: output.appendingPathComponent("notes"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: output.appendingPathComponent("foreign"), withIntermediateDirectories: true)
        try Data(#"{"tool": {"name": "other"}, "status": "ok", "input": {"path": "x"}}"#.utf8)
            .write(to: output.appendingPathComponent("foreign/run.json"))
        _ = try other.run(paths: [shoot.path], reporter: SilentReporter())
        for path in [TestMedia.multiFace, shoot.path, TestMedia.astronaut] {
            _ = try batch.run(paths: [path], reporter: SilentReporter())
        }
        let index = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
        let inputs = [TestMedia.astronaut, TestMedia.multiFace, shoot.path].sorted()
        let links = index.components(separatedBy: "<a href=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        let folder = { (path: String) in
            ((path as NSString).lastPathComponent as NSString).deletingPathExtension + "/report.html"
        }
        XCTAssertEqual(links, inputs.map(folder).map { Substring($0) })
        // The page's text, as a text extractor sees it: each cell apart.
        let text = index.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        for input in inputs {
            XCTAssertTrue(text.contains("\(input)\nok\n"), "\(input) and its status run together:\n\(text)")
        }
        XCTAssertFalse(index.contains("notes") || index.contains("foreign") || index.contains("shard-1-of-1"), index)
    }
}
