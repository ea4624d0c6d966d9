import Foundation
@testable import MoodlineCore
import MoodlineTestSupport
import XCTest

/// plan.json read back: what `moodline plan` wrote, and each way a file can fail to be a plan this Moodline uses.
final class WorkPlanTests: XCTestCase {
    private func plan(shard: Int = 2, schema: Int = WorkPlan.currentSchema) -> WorkPlan {
        WorkPlan(
            schemaVersion: schema, tool: "moodline test", shards: 2, inputs: ["/data/a.mp4"],
            costModel: WorkCost.description, shardCostSeconds: [0, 1.5],
            units: [
                WorkPlan.Unit(
                    kind: .video, path: "/data/a.mp4", output: "a", shard: shard, costSeconds: 1.5,
                    durationSeconds: 10, fingerprint: "f")
            ])
    }

    func testAPlanReadsBackAsWritten() throws {
        let file = try TestMedia.temporaryFolder(for: self).appendingPathComponent("plan.json")
        try plan().encoded().write(to: file)
        XCTAssertEqual(try WorkPlan.read(file.path), plan())
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(text.contains("\"kind\" : \"video\""), text)
        XCTAssertTrue(text.contains("\"cost_s\" : 1.5"), text)
        XCTAssertEqual(plan().placement, ["/data/a.mp4": 2])
    }

    func testWhatIsNotAUsablePlanIsNamed() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let cases: [(Data, String)] = [
            (Data("{\"units\": 3}".utf8), "not a plan made by `moodline plan`"),
            (try plan(schema: 99).encoded(), "a plan of layout 99"),
            (try plan(shard: 3).encoded(), "a unit's shard lies outside 1 to 2"),
        ]
        for (index, (data, message)) in cases.enumerated() {
            let file = folder.appendingPathComponent("plan\(index).json")
            try data.write(to: file)
            XCTAssertThrowsError(try WorkPlan.read(file.path)) { error in
                XCTAssertTrue("\(error)".contains(message), "\(message) in \(error)")
            }
        }
        XCTAssertThrowsError(try WorkPlan.read(folder.appendingPathComponent("missing.json").path)) { error in
            XCTAssertTrue("\(error)".contains("cannot be read"), "\(error)")
        }
    }
}
