import Foundation
import MoodlineTestSupport
import XCTest

/// `moodline analyze --shard K/N` then `moodline merge`, through the built tool: what is written, what is refused,
/// and the exit status.
final class MergeCommandTests: XCTestCase {
    private var moodline: String { TestProcess.moodline }

    /// `count` photos of different sizes in `base/event`, and a file that is not a picture, last in sorted order.
    private func photoFolder(_ base: URL, count: Int, broken: Bool = false) throws -> URL {
        let folder = base.appendingPathComponent("event")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for i in 0..<count { try addPhoto(folder, i) }
        if broken { try Data("not a photo".utf8).write(to: folder.appendingPathComponent("zz-broken.jpg")) }
        return folder
    }

    private func addPhoto(_ folder: URL, _ i: Int) throws {
        try TestProcess.ffmpeg([
            "-i", TestMedia.multiFace, "-vf", "crop=iw-\(30 * i):ih-\(15 * i)",
            folder.appendingPathComponent(String(format: "p%02d.jpg", i)).path,
        ])
    }

    @discardableResult
    private func analyze(_ folder: URL, _ output: URL, shard: String? = nil) throws -> TestProcess.Finished {
        try TestProcess.run(
            // Persons off: a shard groups none (its part of the set alone cannot), so only then do the two agree.
            moodline,
            ["analyze", folder.path, "-o", output.path, "--quiet", "--no-persons"]
                + (shard.map { ["--shard", $0] } ?? []))
    }

    private func merge(_ output: URL) throws -> TestProcess.Finished {
        let result = try TestProcess.run(moodline, ["merge", output.path])
        XCTAssertFalse(result.errors.contains("Fatal error"), result.errors)
        return result
    }

    private func visibleFiles(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }
            .sorted()
    }

    private func manifest(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] ?? [:]
    }

    /// `--shard auto` in a Slurm array of two tasks (`--array=1-2`) and in a Kubernetes Indexed Job of two: each
    /// task takes its own shard from the environment, and the merge equals the unsharded run. Without an array
    /// task's variables it is a usage error (64) naming them. A damaged photo makes the run exit 1 (bad input, do
    /// not retry), not 75 (the task failed).
    func testShardAutoTakesEachTasksShardFromTheEnvironment() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let folder = try photoFolder(base, count: 3, broken: true)
        let whole = base.appendingPathComponent("whole")
        XCTAssertEqual(try analyze(folder, whole).status, 1, "a damaged input: exit 1, not 75")
        let clean = ["-u", "SLURM_ARRAY_TASK_ID", "-u", "JOB_COMPLETION_INDEX", "-u", "AWS_BATCH_JOB_ARRAY_INDEX"]
        let engines: [(String, (Int) -> [String], String)] = [
            (
                "slurm",
                {
                    [
                        "SLURM_ARRAY_TASK_ID=\($0 + 1)", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=2",
                        "SLURM_ARRAY_TASK_COUNT=2",
                    ]
                },
                "auto"
            ),
            ("kubernetes", { ["JOB_COMPLETION_INDEX=\($0)"] }, "auto/2"),
        ]
        for (engine, variables, shard) in engines {
            let output = base.appendingPathComponent(engine)
            for index in 0..<2 {
                let result = try TestProcess.run(
                    "/usr/bin/env",
                    clean + variables(index) + [
                        moodline, "analyze", folder.path, "-o", output.path, "--quiet", "--no-persons", "--shard",
                        shard,
                    ])
                XCTAssertTrue([0, 1].contains(result.status), "\(engine) \(index): \(result.errors)")
            }
            XCTAssertEqual(visibleFiles(output), ["event.shard-1-of-2", "event.shard-2-of-2"], engine)
            XCTAssertEqual(try merge(output).status, 0, engine)
            for name in ["frames.csv", "photos.csv"] {
                XCTAssertEqual(
                    try Data(contentsOf: output.appendingPathComponent("event/\(name)")),
                    try Data(contentsOf: whole.appendingPathComponent("event/\(name)")), "\(engine) \(name)")
            }
        }
        let missing = try TestProcess.run(
            "/usr/bin/env", clean + [moodline, "analyze", folder.path, "-o", base.path, "--shard", "auto"])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.errors.contains("SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX"), missing.errors)
    }

    /// Shards 1-2 of 2 and 1-3 of 3 of one folder (with a broken file) merged: every output file as the unsharded
    /// run's, run.json but for its times; then an unsharded run into the merged output skips the input.
    func testMergedShardsEqualTheUnshardedRunInEveryOutput() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let folder = try photoFolder(base, count: 5, broken: true)
        let whole = base.appendingPathComponent("whole"), sharded = base.appendingPathComponent("sharded")
        XCTAssertEqual(try analyze(folder, whole).status, 1, "the broken file makes the set partial")
        for shard in ["1/2", "2/2", "1/3", "2/3", "3/3"] {
            let result = try analyze(folder, sharded, shard: shard)
            XCTAssertTrue([0, 1].contains(result.status), result.errors)
        }
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: sharded.appendingPathComponent("index.html").path),
            "a shard writes no index")
        let merged = try merge(sharded)
        XCTAssertEqual(merged.status, 0, merged.errors)

        let got = sharded.appendingPathComponent("event"), want = whole.appendingPathComponent("event")
        XCTAssertEqual(visibleFiles(got), ["frames.csv", "frames.jsonl", "photos.csv", "report.html", "run.json"])
        XCTAssertEqual(visibleFiles(got), visibleFiles(want))
        for name in visibleFiles(want) where name != "run.json" {
            XCTAssertEqual(
                FileManager.default.contents(atPath: got.appendingPathComponent(name).path),
                FileManager.default.contents(atPath: want.appendingPathComponent(name).path), name)
        }
        XCTAssertEqual(
            FileManager.default.contents(atPath: sharded.appendingPathComponent("index.html").path),
            FileManager.default.contents(atPath: whole.appendingPathComponent("index.html").path), "index.html")
        var gotManifest = try manifest(got.appendingPathComponent("run.json")),
            wantManifest = try manifest(want.appendingPathComponent("run.json"))
        XCTAssertNotNil(gotManifest.removeValue(forKey: "timing_s"))
        XCTAssertNotNil(wantManifest.removeValue(forKey: "timing_s"))
        XCTAssertEqual(gotManifest as NSDictionary, wantManifest as NSDictionary)
        XCTAssertEqual(gotManifest["status"] as? String, "partial")

        let rerun = try analyze(folder, sharded)
        XCTAssertTrue(rerun.errors.contains("1 skipped as unchanged"), rerun.errors)
        XCTAssertEqual(rerun.status, 1, "still partial, as the unsharded run")
    }

    /// Photos added and deleted between shard 1/2 and shard 2/2: refused, naming the stale shard.
    func testShardsCutFromDifferentListingsAreRefused() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let folder = try photoFolder(base, count: 5)
        let output = base.appendingPathComponent("out")
        XCTAssertEqual(try analyze(folder, output, shard: "1/2").status, 0)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("p01.jpg"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("p02.jpg"))
        for i in 5..<8 { try addPhoto(folder, i) }
        XCTAssertEqual(try analyze(folder, output, shard: "2/2").status, 0)
        let merged = try merge(output)
        XCTAssertEqual(merged.status, 1)
        XCTAssertTrue(
            merged.errors.contains("event.shard-*-of-2: its shards were cut from different listings"), merged.errors)
        XCTAssertTrue(merged.errors.contains("rerun event.shard-1-of-2 (cut from an earlier listing)"), merged.errors)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.appendingPathComponent("event").path))

        // Rerunning the stale shard makes the set whole.
        XCTAssertEqual(try analyze(folder, output, shard: "1/2").status, 0)
        XCTAssertEqual(try merge(output).status, 0)
        XCTAssertEqual(
            (try manifest(output.appendingPathComponent("event/run.json"))["input"] as? [String: Any])?["files"]
                as? Int, 6)
    }

    /// Shards of 2, then the folder changed and shards of 3: the set that matches the folder is merged, the stale
    /// one is named; with the folder gone, neither can be chosen.
    func testAStaleSetFromAnotherShardCountIsNotMerged() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let folder = try photoFolder(base, count: 3)
        let output = base.appendingPathComponent("out")
        for shard in ["1/2", "2/2"] { XCTAssertEqual(try analyze(folder, output, shard: shard).status, 0) }
        try addPhoto(folder, 3)
        for shard in ["1/3", "2/3", "3/3"] { XCTAssertEqual(try analyze(folder, output, shard: shard).status, 0) }
        let merged = try merge(output)
        XCTAssertEqual(merged.status, 1, "a stale set is left: the user must delete it")
        XCTAssertTrue(merged.errors.contains("event: merged 3 shards"), merged.errors)
        XCTAssertTrue(
            merged.errors.contains(
                "event.shard-*-of-2 were cut from an earlier listing of \(folder.path) (3 photos; it now has 4)"),
            merged.errors)
        XCTAssertTrue(merged.errors.contains("delete the stale set"), merged.errors)
        XCTAssertEqual(
            (try manifest(output.appendingPathComponent("event/run.json"))["input"] as? [String: Any])?["files"]
                as? Int, 4)

        try FileManager.default.moveItem(at: folder, to: base.appendingPathComponent("moved"))
        let blind = try merge(output)
        XCTAssertEqual(blind.status, 1)
        XCTAssertTrue(blind.errors.contains("cannot be read now to tell which is current"), blind.errors)
        XCTAssertFalse(blind.errors.contains("merged"), blind.errors)
    }

    /// Folder names that look like shards but name no safe folder, or carry numbers out of range: never a trap.
    func testHostileShardFolderNamesAreRefusedWithoutATrap() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let names = [
            "..shard-1-of-1", ".shard-1-of-1", "...shard-1-of-1", ".shard-1-of-1.shard-1-of-1", "shard-1-of-1",
            "x.shard-99999999999999999999-of-99999999999999999999", "x.shard-1-of-99999999999999999999",
            "x.shard-0-of-0", "x.shard-2-of-1", "x.shard--1-of-1", "x.shard-+1-of-1", "x.shard-1-of-1-of-1",
            "a\nb.shard-1-of-1", "\u{7}.shard-1-of-1", " .shard-1-of-1",
        ]
        for (i, name) in names.enumerated() {
            let output = base.appendingPathComponent("out\(i)")
            try FileManager.default.createDirectory(
                at: output.appendingPathComponent(name), withIntermediateDirectories: true)
            try Data(#"{"status": "ok"}"#.utf8).write(
                to: output.appendingPathComponent(name).appendingPathComponent("run.json"))
            let result = try merge(output)
            XCTAssertEqual(result.status, 1, "\(name.debugDescription): \(result.errors)")
            XCTAssertEqual(
                visibleFiles(output), [name].filter { !$0.hasPrefix(".") },
                "\(name.debugDescription): nothing else written")
        }
        // A name that is not UTF-8.
        let output = base.appendingPathComponent("bytes")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let raw = Array((output.path + "/").utf8) + [0xFF] + Array(".shard-1-of-1".utf8) + [0]
        XCTAssertEqual(
            raw.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) } }, 0)
        let result = try merge(output)
        XCTAssertEqual(result.status, 1, result.errors)
    }

    /// A photo folder whose name is only dots is sharded and merged into a safe folder beside the others.
    func testADotNamedFolderIsShardedAndMergedSafely() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let folder = base.appendingPathComponent("...")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: TestMedia.multiFace, toPath: folder.appendingPathComponent("a.jpg").path)
        let output = base.appendingPathComponent("out")
        XCTAssertEqual(try analyze(folder, output, shard: "1/1").status, 0)
        let merged = try merge(output)
        XCTAssertEqual(merged.status, 0, merged.errors)
        XCTAssertEqual(visibleFiles(output), ["_...", "_....shard-1-of-1", "index.html"])
    }
}
