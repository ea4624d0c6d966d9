import Foundation
import MoodlineTestSupport
import XCTest

/// `moodline regroup` through the built tool: an output folder's videos regrouped from their edited `persons.csv`,
/// what it prints, what it refuses, and the exit status.
final class RegroupCommandTests: XCTestCase {
    private var moodline: String { TestProcess.moodline }

    /// Two copies of a short clip (one track each, one person), analysed into one output folder; then one copy's
    /// track is given person 5 (persons are numbered again, so it stays person 1) and the other's a bad cell.
    func testAnOutputFolderIsRegroupedFolderByFolderAndABadTableIsNamed() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        for name in ["a", "b"] {
            try TestProcess.ffmpeg([
                "-i", TestMedia.pexels, "-t", "1.5", "-an", "-vf", "scale=480:270", "-c:v", "libx264",
                base.appendingPathComponent("\(name).mp4").path,
            ])
        }
        let output = base.appendingPathComponent("out")
        let analysed = try TestProcess.run(
            moodline,
            [
                "analyze", base.appendingPathComponent("a.mp4").path, base.appendingPathComponent("b.mp4").path, "-o",
                output.path, "--quiet",
            ])
        XCTAssertEqual(analysed.status, 0, analysed.errors)
        let table = { (name: String) in output.appendingPathComponent("\(name)/persons.csv") }
        let original = try String(contentsOf: table("a"), encoding: .utf8)
        XCTAssertTrue(original.hasPrefix("track,person,first_time_s,last_time_s,screen_time_s,dominant_emotion\n1,1,"))
        try original.replacingOccurrences(of: "\n1,1,", with: "\n1,5,").write(
            to: table("a"), atomically: true, encoding: .utf8)
        try original.replacingOccurrences(of: "\n1,1,", with: "\n1,one,").write(
            to: table("b"), atomically: true, encoding: .utf8)
        let before = try Data(contentsOf: output.appendingPathComponent("b/run.json"))

        let result = try TestProcess.run(moodline, ["regroup", output.path])
        XCTAssertEqual(result.status, 1, "one folder could not be regrouped")
        XCTAssertTrue(result.output.contains("/a: 1 -> 1 person(s); subject person 1: "), result.output)
        XCTAssertTrue(
            result.errors.contains("b/persons.csv: line 2: needs a track ID and a person number"), result.errors)
        XCTAssertEqual(try Data(contentsOf: output.appendingPathComponent("b/run.json")), before, "b left as it was")
        let manifest =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: output.appendingPathComponent("a/run.json"))) as? [String: Any]
        XCTAssertEqual(manifest?["regrouped_by"] as? String, "table persons.csv")

        // Usage mistakes are told before anything is read.
        let both = try TestProcess.run(
            moodline, ["regroup", output.path, "--persons", "x.csv", "--same-person-distance", "0.5"])
        XCTAssertEqual(both.status, 64)
        XCTAssertTrue(both.errors.contains("either --persons or --same-person-distance"), both.errors)
        let nothing = try TestProcess.run(moodline, ["regroup", base.path])
        XCTAssertEqual(nothing.status, 1)
        XCTAssertTrue(nothing.errors.contains("no analysed video or photo set here"), nothing.errors)
    }
}
