import Foundation
@testable import MoodlineCore
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// Shards of a photo folder, joined by merge.
final class ShardMergeTests: XCTestCase {
    override func setUp() {
        BLAS.setThreads(1)
    }

    /// Shards 1/3 + 2/3 + 3/3 of a photo folder, merged, are byte for byte the unsharded run (persons off: a shard
    /// groups none, its part of the set alone cannot).
    func testMergedShardsEqualTheUnshardedRun() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let folder = try photoFolder(base, count: 7)
        let whole = base.appendingPathComponent("whole"), sharded = base.appendingPathComponent("sharded")
        var photos = try pipeline("photos")
        photos.persons.enabled = false
        XCTAssertTrue(
            try batch(whole, photos: photos).run(paths: [folder.path, TestMedia.astronaut], reporter: SilentReporter())
                .succeeded)
        var videoOwners: [String] = []
        for k in 1...3 {
            let outcome = try batch(sharded, shard: Shard("\(k)/3"), photos: photos).run(
                paths: [folder.path, TestMedia.astronaut], reporter: SilentReporter())
            XCTAssertTrue(outcome.succeeded)
            videoOwners += outcome.results.map(\.input.outputName).filter { !$0.contains(".shard-") }
        }
        XCTAssertEqual(videoOwners, ["astronaut"], "a file named on its own goes to exactly one shard")
        let merged = ShardMerge.mergeAll(in: sharded.path)
        XCTAssertEqual(merged.map(\.problem), [nil])
        for name in ["frames.csv", "frames.jsonl"] {
            XCTAssertEqual(
                bytes(sharded.appendingPathComponent("event/\(name)")),
                bytes(whole.appendingPathComponent("event/\(name)")), name)
        }
        let manifest =
            try JSONSerialization.jsonObject(with: bytes(sharded.appendingPathComponent("event/run.json"))!)
            as! [String: Any]
        XCTAssertEqual((manifest["counts"] as! [String: Int])["files_read"], 7)
        XCTAssertEqual(ShardMerge.mergeAll(in: whole.path).count, 0)

        // With persons on, a shard leaves its person cells empty rather than number persons of its part alone.
        let shard = base.appendingPathComponent("shard")
        XCTAssertTrue(
            try batch(shard, shard: Shard("1/2")).run(paths: [folder.path], reporter: SilentReporter()).succeeded)
        let table = try XCTUnwrap(
            String(
                data: try XCTUnwrap(bytes(shard.appendingPathComponent("event.shard-1-of-2/frames.csv"))),
                encoding: .utf8))
        let lines = table.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let column = try XCTUnwrap(lines[0].firstIndex(of: "person"))
        XCTAssertTrue(lines.dropFirst().allSatisfy { $0[column].isEmpty })
    }

    /// Shards that wrote their face embeddings (`--write-embeddings`) are merged with the whole set's persons: the
    /// same people across shards get one ID, and every table, the report and the embeddings equal the unsharded
    /// run's byte for byte.
    func testMergedShardsWithEmbeddingsGroupTheWholeSetsPersons() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let folder = try photoFolder(base, count: 7)
        let whole = base.appendingPathComponent("whole"), sharded = base.appendingPathComponent("sharded")
        var photos = try pipeline("photos")
        photos.outputs.formats.append(.faceEmbeddings)
        XCTAssertTrue(
            try batch(whole, photos: photos).run(paths: [folder.path], reporter: SilentReporter()).succeeded)
        var shardPersons = 0
        for k in 1...3 {
            XCTAssertTrue(
                try batch(sharded, shard: Shard("\(k)/3"), photos: photos).run(
                    paths: [folder.path], reporter: SilentReporter()
                ).succeeded)
            shardPersons += try counts(sharded.appendingPathComponent("event.shard-\(k)-of-3"))["persons"] ?? 0
        }
        let merged = ShardMerge.mergeAll(in: sharded.path)
        XCTAssertEqual(merged.map(\.problem), [nil])
        for name in [
            "frames.csv", "frames.jsonl", "photos.csv", "report.html", "face_embeddings.jsonl", "persons.csv",
            // What regroup reads, kept as the unsharded run keeps it.
            ".frames.csv.rows", ".frames.jsonl.rows", ".photos.csv.rows", ".report-fragments",
        ] {
            let expected = try XCTUnwrap(bytes(whole.appendingPathComponent("event/\(name)")), name)
            XCTAssertEqual(bytes(sharded.appendingPathComponent("event/\(name)")), expected, name)
        }
        let persons = try XCTUnwrap(try counts(whole.appendingPathComponent("event"))["persons"])
        XCTAssertGreaterThan(persons, 1)
        XCTAssertEqual(try counts(sharded.appendingPathComponent("event"))["persons"], persons)
        // Each shard numbered the people of its own part: the merge joined them.
        XCTAssertGreaterThan(shardPersons, persons)
        let table = try XCTUnwrap(
            String(data: try XCTUnwrap(bytes(sharded.appendingPathComponent("event/photos.csv"))), encoding: .utf8))
        XCTAssertTrue(table.contains("1;2"), "the same persons in every photo")
        // The merged set regroups as an unsharded one does.
        let regrouped = try Regrouping.regroup(folder: sharded.appendingPathComponent("event").path, by: .distance(0))
        XCTAssertEqual(regrouped.personsBefore, persons)
        XCTAssertGreaterThan(regrouped.persons, persons)
        // A shard is regrouped as part of its merged set, never alone.
        XCTAssertThrowsError(
            try Regrouping.regroup(folder: sharded.appendingPathComponent("event.shard-1-of-3").path, by: .distance(0))
        ) { XCTAssertTrue("\($0)".contains("merge the shards"), "\($0)") }
        // A shard's embeddings missing refuse the merge, naming the file.
        let gone = sharded.appendingPathComponent("event.shard-3-of-3/face_embeddings.jsonl")
        let kept = try XCTUnwrap(bytes(gone))
        try FileManager.default.removeItem(at: gone)
        try FileManager.default.removeItem(at: sharded.appendingPathComponent("event"))
        XCTAssertTrue(ShardMerge.mergeAll(in: sharded.path).first?.problem?.contains(gone.path) ?? false)
        try kept.write(to: gone)
        // A damaged shard's embeddings refuse the merge, naming the file, and leave no merged folder.
        let damaged = sharded.appendingPathComponent("event.shard-2-of-3/face_embeddings.jsonl")
        try Data("{\"file\":".utf8).write(to: damaged)
        let refused = ShardMerge.mergeAll(in: sharded.path)
        XCTAssertTrue(refused.first?.problem?.contains(damaged.path) ?? false, "\(refused)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: sharded.appendingPathComponent("event").path))
    }

    /// A shard whose photos have no face (so no embedding, and a file that states length 0) joins the others.
    func testAShardWithoutFacesMergesWithTheOthersPersons() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        // Five photos cut in two: shard 1 takes the two with faces, shard 2 the three grey pictures.
        let folder = try photoFolder(base, count: 2)
        for name in ["zz0.jpg", "zz1.jpg", "zz2.jpg"] {
            try TestProcess.ffmpeg([
                "-f", "lavfi", "-i", "color=c=gray:s=320x240", "-frames:v", "1",
                folder.appendingPathComponent(name).path,
            ])
        }
        var photos = try pipeline("photos")
        photos.outputs.formats.append(.faceEmbeddings)
        let whole = base.appendingPathComponent("whole"), sharded = base.appendingPathComponent("sharded")
        XCTAssertTrue(try batch(whole, photos: photos).run(paths: [folder.path], reporter: SilentReporter()).succeeded)
        for k in 1...2 {
            _ = try batch(sharded, shard: Shard("\(k)/2"), photos: photos).run(
                paths: [folder.path], reporter: SilentReporter())
        }
        XCTAssertEqual(try counts(sharded.appendingPathComponent("event.shard-2-of-2"))["faces"], 0)
        XCTAssertEqual(ShardMerge.mergeAll(in: sharded.path).map(\.problem), [nil])
        for name in ["frames.csv", "photos.csv", "persons.csv", "face_embeddings.jsonl", "report.html"] {
            XCTAssertEqual(
                bytes(sharded.appendingPathComponent("event/\(name)")),
                bytes(whole.appendingPathComponent("event/\(name)")),
                name)
        }
    }

    private func counts(_ folder: URL) throws -> [String: Int] {
        let manifest =
            try JSONSerialization.jsonObject(with: try XCTUnwrap(bytes(folder.appendingPathComponent("run.json"))))
            as! [String: Any]
        return manifest["counts"] as! [String: Int]
    }

    /// A merge refuses a set whose shards are not all there.
    func testAMergeWithAMissingShardIsRefused() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let folder = try photoFolder(base, count: 3)
        let sharded = base.appendingPathComponent("sharded")
        _ = try batch(sharded, shard: Shard("1/2")).run(paths: [folder.path], reporter: SilentReporter())
        let merged = ShardMerge.mergeAll(in: sharded.path)
        XCTAssertEqual(merged.first?.problem, "shard 2 of 2 is missing")
        XCTAssertFalse(FileManager.default.fileExists(atPath: sharded.appendingPathComponent("event").path))
    }
}
