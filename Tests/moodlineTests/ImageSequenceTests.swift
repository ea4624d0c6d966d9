import Foundation
import MoodlineTestSupport
import XCTest

/// An image sequence from the command line: numbered PNGs read as one video at the given rate, with a video's outputs.
final class ImageSequenceTests: XCTestCase {
    func testNumberedPicturesAreAnalysedAsAVideoAtTheirRate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "moodline-sequence-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let frames = folder.appendingPathComponent("frames")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: true)
        // 20 frames (numbered from 1, as ffmpeg writes them) of the sample, 10 a second.
        try TestProcess.ffmpeg([
            "-i", TestMedia.pexels, "-t", "2", "-vf", "fps=10,scale=480:-2",
            frames.appendingPathComponent("%05d.png").path,
        ])
        let output = folder.appendingPathComponent("out")

        let run = try TestProcess.run(
            TestProcess.moodline,
            [
                "analyze", "frames/%05d.png", "-o", output.path, "--sequence-rate", "10",
                "--formats", "csv,tracks,eaf,photos", "--quiet",
            ], in: folder)
        XCTAssertEqual(run.status, 0, run.errors)
        let result = output.appendingPathComponent("frames")
        let written = try FileManager.default.contentsOfDirectory(atPath: result.path).filter { !$0.hasPrefix(".") }
            .sorted()
        XCTAssertEqual(
            written,
            [
                "episodes.eaf", "episodes_timeseries.csv", "episodes_tsconf.xml", "frames.csv", "run.json",
                "tracks.json",
            ], "a video's outputs, not a photo set's")

        // The interview pipeline samples 5 a second: every other frame, each at its index / 10 s.
        let rows = try String(contentsOf: result.appendingPathComponent("frames.csv"), encoding: .utf8).split(
            separator: "\n"
        ).dropFirst()
        let times = Set(
            rows.map { row in row.split(separator: ",", omittingEmptySubsequences: false).prefix(2).map(String.init) })
        XCTAssertEqual(
            times.map { $0[0] }.sorted { Int($0)! < Int($1)! }, stride(from: 0, to: 20, by: 2).map(String.init))
        for time in times {
            XCTAssertEqual(Double(time[1])!, Double(time[0])! / 10, accuracy: 1e-6, "frame \(time[0])")
        }

        let manifest = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(contentsOf: result.appendingPathComponent("run.json")))
                as? [String: Any])
        let input = try XCTUnwrap(manifest["input"] as? [String: Any])
        XCTAssertEqual(input["kind"] as? String, "sequence")
        XCTAssertEqual(input["files"] as? Int, 20)
        XCTAssertEqual((input["media"] as? [String: Any])?["average_frame_rate"] as? Double, 10)

        // Unchanged pictures at the same rate are not analysed again; another rate is another input.
        let again = try TestProcess.run(
            TestProcess.moodline,
            [
                "analyze", "frames/%05d.png", "-o", output.path, "--sequence-rate", "10",
                "--formats", "csv,tracks,eaf,photos",
            ], in: folder)
        XCTAssertEqual(again.status, 0, again.errors)
        XCTAssertTrue(again.errors.contains("unchanged"), again.errors)
    }
}
