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
