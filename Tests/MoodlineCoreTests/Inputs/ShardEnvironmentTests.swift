import MoodlineCore
import XCTest

/// `--shard auto`: each engine's array variables and base, and the environments that must be refused.
final class ShardEnvironmentTests: XCTestCase {
    private func shard(_ text: String, _ environment: [String: String]) throws -> String {
        try ShardEnvironment.shard(text, environment: environment).description
    }

    private func shard(_ environment: [String: String]) throws -> String { try shard("auto", environment) }

    private func slurm(id: Int, min: Int, max: Int, count: Int? = nil) -> [String: String] {
        [
            "SLURM_ARRAY_TASK_ID": "\(id)", "SLURM_ARRAY_TASK_MIN": "\(min)", "SLURM_ARRAY_TASK_MAX": "\(max)",
            "SLURM_ARRAY_TASK_COUNT": "\(count ?? max - min + 1)",
        ]
    }

    func testSlurmTaskIDsAreShardNumbers() throws {
        XCTAssertEqual(try shard(slurm(id: 1, min: 1, max: 8)), "1/8")
        XCTAssertEqual(try shard(slurm(id: 8, min: 1, max: 8)), "8/8")
        XCTAssertEqual(try shard("auto/4", slurm(id: 2, min: 1, max: 4)), "2/4", "N given and agreeing")
        // Rerunning some tasks of an array of 8: N given, the IDs are still shard numbers.
        XCTAssertEqual(try shard("auto/8", slurm(id: 3, min: 3, max: 5, count: 2)), "3/8")
        XCTAssertEqual(try shard("auto/8", slurm(id: 5, min: 3, max: 5, count: 2)), "5/8")
        XCTAssertEqual(try shard("auto/8", slurm(id: 6, min: 6, max: 6)), "6/8")
    }

    func testKubernetesAndAWSBatchIndicesCountFromZeroWithNGiven() throws {
        XCTAssertEqual(try shard("auto/5", ["JOB_COMPLETION_INDEX": "0"]), "1/5")
        XCTAssertEqual(try shard("auto/5", ["JOB_COMPLETION_INDEX": "4"]), "5/5")
        XCTAssertEqual(try shard("auto/3", ["AWS_BATCH_JOB_ARRAY_INDEX": "2"]), "3/3")
        // Two engines' variables that agree (a Kubernetes pod that also carries an AWS index) are one shard.
        XCTAssertEqual(try shard("auto/3", ["AWS_BATCH_JOB_ARRAY_INDEX": "1", "JOB_COMPLETION_INDEX": "1"]), "2/3")
    }

    func testMissingOrContradictoryVariablesAreRefusedSayingWhich() {
        let refused: [(String, [String: String], String)] = [
            ("auto", [:], "found no array task"),
            ("auto", ["JOB_COMPLETION_INDEX": "2"], "--shard auto/N"),
            ("auto/3", ["JOB_COMPLETION_INDEX": "3"], "outside an array of 3"),
            ("auto/3", ["JOB_COMPLETION_INDEX": "-1"], "not an index"),
            ("auto/3", ["AWS_BATCH_JOB_ARRAY_INDEX": "x"], "not an index"),
            ("auto/0", ["JOB_COMPLETION_INDEX": "0"], "needs N"),
            ("auto/x", ["JOB_COMPLETION_INDEX": "0"], "needs N"),
            ("auto", ["SLURM_ARRAY_TASK_ID": "1"], "give --shard auto/N"),
            ("auto", ["SLURM_ARRAY_TASK_ID": "one"], "not a number"),
            ("auto", slurm(id: 4, min: 0, max: 12, count: 4), "give --shard auto/N"),
            ("auto", slurm(id: 0, min: 0, max: 7), "give --shard auto/N"),
            ("auto/8", slurm(id: 0, min: 0, max: 7), "number the array's tasks from 1"),
            ("auto", slurm(id: 3, min: 3, max: 5, count: 2), "give --shard auto/N"),
            ("auto/4", slurm(id: 5, min: 1, max: 8), "not a shard of 4"),
            ("auto/8", slurm(id: 1, min: 1, max: 8).merging(["JOB_COMPLETION_INDEX": "3"]) { $1 }, "names two shards"),
        ]
        for (text, environment, expected) in refused {
            XCTAssertThrowsError(try shard(text, environment), "\(text) \(environment)") { error in
                XCTAssertTrue("\(error)".contains(expected), "\(text) \(environment): \(error)")
            }
        }
    }

    func testOnlyAutoAsksTheEnvironment() {
        XCTAssertTrue(ShardEnvironment.isAuto("auto"))
        XCTAssertTrue(ShardEnvironment.isAuto("auto/8"))
        XCTAssertFalse(ShardEnvironment.isAuto("2/8"))
        XCTAssertFalse(ShardEnvironment.isAuto("automatic"))
    }
}
