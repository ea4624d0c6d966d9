import Foundation
@testable import MoodlineCore
@testable import MoodlineMedia
import MoodlineTestSupport
import XCTest

/// `WorkPlanner`: units placed by cost, the same plan for the same inputs, and a plan refused once its inputs change.
final class WorkPlannerTests: XCTestCase {
    private func unit(_ path: String, _ cost: Double, shard: Int = 0) -> WorkPlan.Unit {
        WorkPlan.Unit(kind: .video, path: path, output: path, shard: shard, costSeconds: cost)
    }

    /// One long video and ten short ones on two shards: the long one alone on one shard, the ten on the other
    /// (taking turns would put the long one and five short ones together: 15 against 5).
    func testTheLongestGoesFirstAndEachUnitToTheLeastLoadedShard() {
        var units = [unit("a-long", 10)] + (0..<10).map { unit("short-\($0)", 1) }
        let loads = WorkPlanner.place(&units, shards: 2)
        XCTAssertEqual(loads, [10, 10])
        XCTAssertEqual(units[0].shard, 1)
        XCTAssertEqual(Set(units.dropFirst().map(\.shard)), [2])
    }

    /// Slices already on their shards count as load; equal costs go in path order, ties to the lowest shard; and
    /// the units' order in the batch does not change where they go.
    func testPlacementIsDeterministic() {
        let batch = [
            unit("slice-1", 3, shard: 1), unit("slice-2", 3, shard: 2), unit("c", 2), unit("b", 2), unit("a", 2),
            unit("d", 5),
        ]
        var placed = batch
        let loads = WorkPlanner.place(&placed, shards: 2)
        // d (5) on shard 1 (a tie at 3: the lowest), then a, b and c (2 each, in path order) on the least loaded:
        // shard 2 each time (5, 7, then 9 against 8).
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: placed.map { ($0.path, $0.shard) })["d"], 1)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: placed.map { ($0.path, $0.shard) })["a"], 2)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: placed.map { ($0.path, $0.shard) })["b"], 2)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: placed.map { ($0.path, $0.shard) })["c"], 2)
        XCTAssertEqual(loads, [8, 9])
        var reversed = Array(batch.reversed())
        _ = WorkPlanner.place(&reversed, shards: 2)
        XCTAssertEqual(
            Dictionary(uniqueKeysWithValues: reversed.map { ($0.path, $0.shard) }),
            Dictionary(uniqueKeysWithValues: placed.map { ($0.path, $0.shard) }))
    }

    /// A folder of three videos (their durations from a stand-in probe) and four photos, on two shards: the
    /// photos cut in two slices as `--shard K/N` cuts them, the videos placed by duration, and the plan's file the
    /// same bytes when made again. Relative paths are made absolute.
    func testAPlanOfVideosAndAPhotoFolder() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let batch = try makeBatch(base)
        let durations = ["long.mp4": 600.0, "mid.mp4": 300.0, "short.mp4": 280.0]
        let probe: (String) -> MediaInfo? = { path in
            durations[(path as NSString).lastPathComponent].map { Self.info(seconds: $0) }
        }
        let (plan, problems) = try WorkPlanner.plan([batch.path], shards: 2, probe: probe)
        XCTAssertEqual(problems, [])
        XCTAssertEqual(plan.inputs, [batch.path])
        let byName = Dictionary(uniqueKeysWithValues: plan.units.map { ($0.output, $0) })
        XCTAssertEqual(byName["batch.shard-1-of-2"]?.photos, 2)
        XCTAssertEqual(byName["batch.shard-2-of-2"]?.shard, 2)
        // 600 s alone on one shard; 300 and 280 s together on the other, within 3% of it.
        XCTAssertEqual(byName["long"]?.shard, 1)
        XCTAssertEqual(byName["mid"]?.shard, 2)
        XCTAssertEqual(byName["short"]?.shard, 2)
        XCTAssertEqual(plan.shardCostSeconds[1] / plan.shardCostSeconds[0], 580 / 600, accuracy: 0.01)
        XCTAssertEqual(plan.placement[batch.appendingPathComponent("long.mp4").path], 1)
        let again = try WorkPlanner.plan([batch.path], shards: 2, probe: probe).plan
        XCTAssertEqual(try again.encoded(), try plan.encoded())
        XCTAssertEqual(try JSONDecoder().decode(WorkPlan.self, from: plan.encoded()), plan)

        let cwd = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(base.path)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
        XCTAssertEqual(try WorkPlanner.plan(["./batch/../batch"], shards: 2, probe: probe).plan.inputs, [batch.path])
    }

    /// The plan checked against the inputs as they are: unchanged passes; a video changed, a video added, one
    /// removed and a photo added are each named.
    func testAPlanWhoseInputsChangedIsRefusedNamingWhat() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let batch = try makeBatch(base)
        let plan = try WorkPlanner.plan([batch.path], shards: 3, probe: { _ in nil }).plan
        XCTAssertNoThrow(try WorkPlanner.check(plan, against: InputPlanner.plan(plan.inputs)))

        try Data("other bytes".utf8).write(to: batch.appendingPathComponent("mid.mp4"))
        try Data("a new video".utf8).write(to: batch.appendingPathComponent("new.mp4"))
        try FileManager.default.removeItem(at: batch.appendingPathComponent("short.mp4"))
        try FileManager.default.copyItem(
            atPath: TestMedia.astronaut, toPath: batch.appendingPathComponent("p9.png").path)
        XCTAssertThrowsError(try WorkPlanner.check(plan, against: InputPlanner.plan(plan.inputs))) { error in
            let message = "\(error)"
            for expected in [
                "mid.mp4 has changed", "new.mp4 is new", "short.mp4 is gone", "\(batch.path) has other photos",
                "Make it again with `moodline plan`",
            ] {
                XCTAssertTrue(message.contains(expected), "\(expected) in \(message)")
            }
        }
    }

    /// Streams and image sequences cannot be costed or cut.
    func testAStreamCannotBePlanned() {
        for input in ["-", "rtsp://camera.local/stream", "frames/%05d.png"] {
            XCTAssertThrowsError(try WorkPlanner.plan([input], shards: 2)) { error in
                XCTAssertTrue("\(error)".contains("cannot be costed or cut"), "\(error)")
            }
        }
    }

    /// `batch/` with three stand-in videos (the probe is faked) and four photos.
    private func makeBatch(_ base: URL) throws -> URL {
        let batch = base.appendingPathComponent("batch")
        try FileManager.default.createDirectory(at: batch, withIntermediateDirectories: true)
        for name in ["long.mp4", "mid.mp4", "short.mp4"] {
            try Data("stand-in for \(name)".utf8).write(to: batch.appendingPathComponent(name))
        }
        for i in 0..<4 {
            try FileManager.default.copyItem(
                atPath: TestMedia.astronaut, toPath: batch.appendingPathComponent("p\(i).png").path)
        }
        return batch
    }

    private static func info(seconds: Double) -> MediaInfo {
        MediaInfo(
            container: "mov", codec: "h264", pixelFormat: "yuv420p", width: 1920, height: 1080, codedWidth: 1920,
            codedHeight: 1080, rotationDegrees: 0, mirrored: false, durationSeconds: seconds, averageFrameRate: 25,
            realFrameRate: 25, frameCount: nil, hasAudio: false, isStillImage: false)
    }
}
