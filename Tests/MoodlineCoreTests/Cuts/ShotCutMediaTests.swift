import Foundation
import MoodlineCore
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// Shot cuts on real pictures: edits with hard cuts are cut where they were edited, fast camera motion and flashes
/// are not, and no track crosses a cut in the analysis's outputs.
final class ShotCutMediaTests: XCTestCase {
    override func setUp() {
        // As the command-line tool does: frames run in parallel, so one BLAS thread each.
        BLAS.setThreads(1)
    }

    /// The times the default detector cuts at, and the largest difference it did not cut at.
    private func cuts(
        in path: String, framesPerSecond: Double = 5
    ) throws -> (
        times: [Double], cutValues: [Double], largestWithinShots: Double
    ) {
        var detector = ShotCutDetector(settings: TrackSettings())
        var times: [Double] = [], cutValues: [Double] = [], largest = 0.0
        for difference in try CutTestMedia.differences(in: path, framesPerSecond: framesPerSecond) {
            if detector.decide(difference: difference.value) {
                times.append(difference.seconds)
                cutValues.append(difference.value)
            } else {
                largest = max(largest, difference.value)
            }
        }
        return (times, cutValues, largest)
    }

    func testHardCutsAreFoundWithinOneSample() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let seven = try cuts(in: try CutTestMedia.sevenShots(in: folder))
        XCTAssertEqual(seven.times.count, 6, "\(seven.times)")
        for (found, edited) in zip(seven.times, [1.0, 2, 3, 4, 5, 6]) { XCTAssertEqual(found, edited, accuracy: 0.2) }
        let edit = try cuts(in: try CutTestMedia.interviewEdit(in: folder))
        XCTAssertEqual(edit.times.count, 2, "\(edit.times)")
        for (found, edited) in zip(edit.times, [2.0, 4]) { XCTAssertEqual(found, edited, accuracy: 0.21) }
        print(
            "cuts: seven shots \(seven.cutValues) (largest within a shot \(seven.largestWithinShots)), "
                + "interview edit \(edit.cutValues) (largest within a shot \(edit.largestWithinShots))")
    }

    func testFastMotionFlashesAndTheInterviewHaveNoCut() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let threshold = TrackSettings().cutThreshold
        for path in try CutTestMedia.motionShots(in: folder) + [TestMedia.pexels] {
            let found = try cuts(in: path)
            XCTAssertEqual(found.times, [], path)
            XCTAssertLessThan(found.largestWithinShots, threshold / 2, "\(path): at least twice below the threshold")
            print("no cut: \((path as NSString).lastPathComponent) largest difference \(found.largestWithinShots)")
        }
        // Sampled every 2 s, the interview changes more between samples, and is still one shot.
        let sparse = try cuts(in: TestMedia.pexels, framesPerSecond: 0.5)
        XCTAssertEqual(sparse.times, [])
        print("no cut: interview at 0.5 fps, largest difference \(sparse.largestWithinShots)")
    }

    /// Seven shots of three women framed alike: before, one track; now every shot starts new tracks, `run.json`
    /// lists the six cuts, and no track has frames on both sides of a cut.
    func testTracksEndAtEveryCutAndRunJSONListsTheCuts() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let edit = try CutTestMedia.sevenShots(in: folder)
        let (manifest, rows) = try analyse(edit, into: folder.appendingPathComponent("out"))
        let cuts = try XCTUnwrap(manifest["shot_cuts"] as? [[String: Any]])
        let cutTimes = cuts.map { $0["time_s"] as! Double }
        XCTAssertEqual(cutTimes.count, 6, "\(cuts)")
        for (found, edited) in zip(cutTimes, [1.0, 2, 3, 4, 5, 6]) { XCTAssertEqual(found, edited, accuracy: 0.2) }
        XCTAssertTrue(cuts.allSatisfy { ($0["difference"] as! Double) >= TrackSettings().cutThreshold })
        XCTAssertEqual(cuts.map { $0["frame"] as! Int }, cutTimes.map { Int(($0 * 25).rounded()) })

        let shotsOfTrack = Self.shotsOfTrack(rows, cutTimes: cutTimes)
        XCTAssertTrue(shotsOfTrack.values.allSatisfy { $0.count == 1 }, "\(shotsOfTrack)")
        XCTAssertEqual(Set(shotsOfTrack.values.map { $0.first! }), Set(0...6), "every shot has a track of its own")

        // Without cuts (as before): tracks run across cuts, and run.json says nothing of cuts.
        var noCuts = try TestPipelines.builtIn("interview")
        noCuts.tracking.endAtCuts = false
        let (plainManifest, plainRows) = try analyse(
            edit, into: folder.appendingPathComponent("plain"), pipeline: noCuts)
        XCTAssertNil(plainManifest["shot_cuts"])
        XCTAssertTrue(
            Self.shotsOfTrack(plainRows, cutTimes: cutTimes).values.contains { $0.count > 1 },
            "the same place in every shot: without cuts, a track crosses them")
    }

    /// A cut to a 2× close-up of the same woman differs from the wide shot about as a fast zoom does, so the detector
    /// lets it pass; her box grows 1.5 times in one sample, more than a face can, so her track ends there all the same.
    func testACutToACloseUpOfTheSamePersonEndsHerTrack() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let edit = try CutTestMedia.closeUpEdit(in: folder)
        let atCut = try CutTestMedia.differences(in: edit).first { abs($0.seconds - 2) < 0.1 }
        print("close-up cut: difference \(atCut?.value ?? -1)")
        let (_, rows) = try analyse(edit, into: folder.appendingPathComponent("out"))
        let shots = Self.shotsOfTrack(rows, cutTimes: [2.0])
        XCTAssertEqual(Set(shots.values.map { $0.first! }), [0, 1], "\(shots)")
        XCTAssertTrue(shots.values.allSatisfy { $0.count == 1 }, "\(shots)")
    }

    /// `run.json` and `frames.csv`'s rows of `path` analysed with `pipeline` (the interview's by default).
    private func analyse(
        _ path: String, into output: URL, pipeline: PipelineDefinition? = nil
    ) throws -> (
        [String: Any], [[String: String]]
    ) {
        let batch = BatchAnalysis(
            videoPipeline: try pipeline ?? TestPipelines.builtIn("interview"),
            photoPipeline: try TestPipelines.builtIn("photos"),
            models: try ModelStore(folder: TestMedia.weights), outputDirectory: output.path)
        XCTAssertTrue(try batch.run(paths: [path], reporter: SilentReporter()).succeeded)
        let results = output.appendingPathComponent(
            ((path as NSString).lastPathComponent as NSString).deletingPathExtension)
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: results.appendingPathComponent("run.json")))
            as! [String: Any]
        let lines = try String(contentsOf: results.appendingPathComponent("frames.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        return (manifest, lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) })
    }

    /// For each track, the shots its faces were seen in (a shot: how many cuts came before the frame).
    private static func shotsOfTrack(_ rows: [[String: String]], cutTimes: [Double]) -> [String: Set<Int>] {
        var shots: [String: Set<Int>] = [:]
        for row in rows where !(row["track"] ?? "").isEmpty {
            let time = Double(row["time_s"]!)!
            shots[row["track"]!, default: []].insert(cutTimes.filter { $0 <= time + 1e-6 }.count)
        }
        return shots
    }
}
