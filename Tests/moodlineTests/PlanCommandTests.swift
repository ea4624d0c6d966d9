import Foundation
import MoodlineTestSupport
import XCTest

/// `moodline plan`, then `moodline analyze --plan`, through the built tool: units placed by cost, tasks that take
/// their inputs and N from the plan, a merge equal to one unsharded run, and a plan refused once its inputs changed.
final class PlanCommandTests: XCTestCase {
    private var moodline: String { TestProcess.moodline }

    /// A 4 s video, two 1 s ones named so that taking turns would put one with the long one, and two photos.
    private func makeBatch(_ base: URL) throws -> URL {
        let batch = base.appendingPathComponent("batch")
        try FileManager.default.createDirectory(at: batch, withIntermediateDirectories: true)
        for (name, seconds) in [("a-short", 1), ("b-short", 1), ("c-long", 4)] {
            try TestProcess.ffmpeg([
                "-i", TestMedia.pexels, "-t", "\(seconds)", "-an", "-vf", "scale=320:-2", "-c:v", "libx264",
                "-preset", "ultrafast", batch.appendingPathComponent("\(name).mp4").path,
            ])
        }
        for photo in [TestMedia.multiFace, TestMedia.astronaut] {
            try FileManager.default.copyItem(
                atPath: photo, toPath: batch.appendingPathComponent((photo as NSString).lastPathComponent).path)
        }
        return batch
    }

    private func analyze(_ arguments: [String], environment: [String] = []) throws -> TestProcess.Finished {
        try TestProcess.run(
            "/usr/bin/env", environment + [moodline, "analyze", "--quiet", "--no-persons"] + arguments)
    }

    private func visibleFiles(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }
            .sorted()
    }

    func testAPlanBalancesTheShardsAndItsMergeEqualsOneRun() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let batch = try makeBatch(base)
        let planFile = base.appendingPathComponent("plan.json")
        let made = try TestProcess.run(moodline, ["plan", batch.path, "--shards", "2", "-o", planFile.path])
        XCTAssertEqual(made.status, 0, made.errors)
        XCTAssertTrue(made.output.contains("5 units on 2 shards"), made.output)
        let plan = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: planFile)) as? [String: Any])
        let units = try XCTUnwrap(plan["units"] as? [[String: Any]])
        let shardOf = Dictionary(
            uniqueKeysWithValues: units.map { ($0["output"] as? String ?? "", $0["shard"] as? Int ?? 0) })
        // The long video alone beside its slice of photos, the two short ones together on the other shard (taking
        // turns would have put a-short with c-long); slice K on shard K.
        let longShard = try XCTUnwrap(shardOf["c-long"]), shortShard = 3 - longShard
        XCTAssertEqual(shardOf["a-short"], shortShard)
        XCTAssertEqual(shardOf["b-short"], shortShard)
        XCTAssertEqual(shardOf["batch.shard-1-of-2"], 1)
        XCTAssertEqual(shardOf["batch.shard-2-of-2"], 2)

        // One task with K/N, the other as a Slurm array task with a bare `auto`: N comes from the plan.
        let output = base.appendingPathComponent("out")
        let first = try analyze(["--plan", planFile.path, "-o", output.path, "--shard", "\(longShard)/2"])
        XCTAssertEqual(first.status, 0, first.errors)
        XCTAssertEqual(visibleFiles(output), ["batch.shard-\(longShard)-of-2", "c-long"])
        let second = try analyze(
            ["--plan", planFile.path, "-o", output.path, "--shard", "auto"],
            environment: ["SLURM_ARRAY_TASK_ID=\(shortShard)"])
        XCTAssertEqual(second.status, 0, second.errors)
        XCTAssertEqual(
            visibleFiles(output), ["a-short", "b-short", "batch.shard-1-of-2", "batch.shard-2-of-2", "c-long"])
        XCTAssertEqual(try TestProcess.run(moodline, ["merge", output.path]).status, 0)

        let whole = base.appendingPathComponent("whole")
        XCTAssertEqual(try analyze([batch.path, "-o", whole.path]).status, 0)
        for name in ["a-short/frames.csv", "b-short/frames.csv", "c-long/frames.csv", "batch/photos.csv"] {
            XCTAssertEqual(
                try Data(contentsOf: output.appendingPathComponent(name)),
                try Data(contentsOf: whole.appendingPathComponent(name)), name)
        }

        // A changed input: every task refuses the plan, naming it.
        let handle = try FileHandle(forWritingTo: batch.appendingPathComponent("b-short.mp4"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 0, count: 16))
        try handle.close()
        let stale = try analyze(["--plan", planFile.path, "-o", output.path, "--shard", "1/2"])
        XCTAssertEqual(stale.status, 64)
        XCTAssertTrue(stale.errors.contains("b-short.mp4 has changed"), stale.errors)
    }

    /// What cannot go with a plan is a usage error (64) saying so.
    func testUsageErrors() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let batch = try makeBatch(base)
        let planFile = base.appendingPathComponent("plan.json")
        XCTAssertEqual(
            try TestProcess.run(moodline, ["plan", batch.path, "--shards", "2", "-o", planFile.path]).status, 0)
        let output = base.appendingPathComponent("out").path
        for (arguments, message) in [
            (["--plan", planFile.path, "-o", output], "--plan needs --shard"),
            (["--plan", planFile.path, batch.path, "-o", output, "--shard", "1/2"], "not both"),
            (["--plan", planFile.path, "-o", output, "--shard", "1/3"], "cuts the batch into 2 shards, not 3"),
            (
                ["--plan", batch.appendingPathComponent("a-short.mp4").path, "-o", output, "--shard", "1/2"],
                "not a plan made by `moodline plan`"
            ),
        ] {
            let result = try analyze(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments)")
            XCTAssertTrue(result.errors.contains(message), "\(message) in \(result.errors)")
        }
        let stream = try TestProcess.run(moodline, ["plan", "-", "--shards", "2", "-o", planFile.path])
        XCTAssertEqual(stream.status, 64)
        XCTAssertTrue(stream.errors.contains("cannot be costed or cut"), stream.errors)
    }
}
