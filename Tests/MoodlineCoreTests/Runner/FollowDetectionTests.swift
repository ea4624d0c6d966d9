import Foundation
import MoodlineCore
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// Following faces (`detector.scheme: follow`, the interview pipeline's) against searching every sampled frame, on
/// the sample video: the same faces in every frame, boxes in the same place, readings within the frames' own noise,
/// for a fraction of the searches.
final class FollowDetectionTests: XCTestCase {
    override func setUp() {
        BLAS.setThreads(1)
    }

    private struct Row {
        let frame: Int
        let box: Box
        let probabilities: [Double]
        let emotion: String
    }

    private func analyse(_ scheme: DetectionScheme, width: Int = 2) throws -> (rows: [Row], manifest: [String: Any]) {
        var definition = try TestPipelines.builtIn("interview")
        definition.detector.scheme = scheme
        definition.concurrency.width = width
        definition.outputs = OutputSettings(formats: [OutputFormat(rawValue: "csv")!])
        let output = try TestMedia.temporaryFolder(for: self)
        let batch = BatchAnalysis(
            videoPipeline: definition, photoPipeline: try TestPipelines.builtIn("photos"),
            models: try ModelStore(folder: TestMedia.weights), outputDirectory: output.path)
        XCTAssertTrue(try batch.run(paths: [TestMedia.pexels], reporter: SilentReporter()).succeeded)
        let folder = output.appendingPathComponent("WolfgangLanger_Pexels")
        let lines = try String(contentsOf: folder.appendingPathComponent("frames.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        let rows = lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
            .filter { $0["face_found"] == "1" }
            .map { r in
                Row(
                    frame: Int(r["frame"]!)!,
                    box: Box(
                        x: Double(r["x"]!)!, y: Double(r["y"]!)!, width: Double(r["w"]!)!, height: Double(r["h"]!)!),
                    probabilities: ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"].map {
                        Double(r[$0]!)!
                    }, emotion: r["emotion"]!)
            }
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("run.json")))
            as! [String: Any]
        return (rows, manifest)
    }

    func testFollowingFindsTheSameFacesForAFifthOfTheSearches() throws {
        let every = try analyse(.everyFrame), followed = try analyse(.follow)
        let counts = { (m: [String: Any]) in m["counts"] as! [String: Any] }
        XCTAssertEqual(counts(every.manifest)["frames_searched"] as? Int, 99)
        // The 20 s sample at 5 fps, searched once a second (its frame times are not whole fifths of a second).
        let searched = try XCTUnwrap(counts(followed.manifest)["frames_searched"] as? Int)
        XCTAssertLessThanOrEqual(searched, 22)
        XCTAssertGreaterThanOrEqual(searched, 20)
        XCTAssertEqual(followed.rows.map(\.frame), every.rows.map(\.frame), "a face in every frame, as searching finds")
        var overlaps: [Double] = [], shifts: [Double] = []
        for (a, b) in zip(every.rows, followed.rows) {
            overlaps.append(a.box.intersectionOverUnion(with: b.box))
            shifts.append(zip(a.probabilities, b.probabilities).map { abs($0 - $1) }.max()!)
        }
        overlaps.sort()
        shifts.sort()
        // Measured: median overlap 0.94; the probabilities move by 0.019 (median), less than they move between two
        // consecutive frames of either run (0.031 and 0.027).
        XCTAssertGreaterThan(overlaps[overlaps.count / 2], 0.9)
        XCTAssertGreaterThan(overlaps[0], 0.7)
        XCTAssertLessThan(shifts[shifts.count / 2], 0.04)
        let changed = zip(every.rows, followed.rows).filter { $0.emotion != $1.emotion }.count
        XCTAssertLessThanOrEqual(changed, 10, "at most 10 of 99 labels change (measured: 7)")
    }

    func testFollowingGivesTheSameResultsAtAnyWidth() throws {
        let one = try analyse(.follow, width: 1), three = try analyse(.follow, width: 3)
        XCTAssertEqual(one.rows.map(\.box), three.rows.map(\.box))
        XCTAssertEqual(one.rows.map(\.probabilities), three.rows.map(\.probabilities))
    }
}
