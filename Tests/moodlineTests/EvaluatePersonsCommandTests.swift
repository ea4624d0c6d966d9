import Foundation
import MoodlineCore
import MoodlineTestSupport
import XCTest

/// `moodline evaluate-persons` through the built binary, on two people: the astronaut (the photo, mirrored and
/// zoomed) and the interview's woman (three frames, seconds apart), and a picture with no face.
final class EvaluatePersonsCommandTests: XCTestCase {
    private var binary: String { Bundle.main.bundleURL.appendingPathComponent("moodline").path }

    func testTwoPeopleAreTwoPersonsAndTheDistancesAreReported() throws {
        let root = try TestMedia.temporaryFolder(for: self).appendingPathComponent("people")
        let astronaut = root.appendingPathComponent("astronaut"), woman = root.appendingPathComponent("woman")
        for folder in [astronaut, woman, root.appendingPathComponent("nobody")] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(
            atPath: TestMedia.astronaut, toPath: astronaut.appendingPathComponent("a.png").path)
        try TestProcess.ffmpeg([
            "-i", TestMedia.astronaut, "-vf", "hflip", astronaut.appendingPathComponent("b.png").path,
        ])
        try TestProcess.ffmpeg([
            "-i", TestMedia.astronaut, "-vf", "crop=360:360:60:20,scale=512:512",
            astronaut.appendingPathComponent("c.png").path,
        ])
        for second in [1, 9, 17] {
            try TestProcess.ffmpeg([
                "-ss", "\(second)", "-i", TestMedia.pexels, "-frames:v", "1",
                woman.appendingPathComponent("\(second).png").path,
            ])
        }
        try TestProcess.ffmpeg([
            "-f", "lavfi", "-i", "color=c=gray:s=96x96", "-frames:v", "1",
            root.appendingPathComponent("nobody/blank.png").path,
        ])
        let run = try TestProcess.run(binary, ["evaluate-persons", root.path])
        XCTAssertEqual(run.status, 0, run.errors)
        XCTAssertTrue(run.output.contains("7 photos of 3 people; a face in 6"), run.output)
        XCTAssertTrue(run.output.contains("no face: \(root.path)/nobody/blank.png"), run.output)
        // 3 + 3 pairs of one person, 9 of two.
        XCTAssertTrue(run.output.contains("one person:  6 pairs"), run.output)
        XCTAssertTrue(run.output.contains("two people:  9 pairs"), run.output)
        XCTAssertTrue(
            run.output.contains(
                "grouped at 0.60: 2 persons for 2 people; pairwise precision 1.000, recall 1.000, F1 1.000"),
            run.output)

        let refused = try TestProcess.run(binary, ["evaluate-persons", root.appendingPathComponent("nobody").path])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.errors.contains("no person folders with photos"), refused.errors)
    }
}
