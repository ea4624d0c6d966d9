import Foundation
import MoodlineCore
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// A photo cut short is analysed for what it holds, and every output says it is damaged.
final class DamagedPhotoTests: XCTestCase {
    override func setUp() { BLAS.setThreads(1) }

    func testACutPhotoIsAnalysedAndItsRowSaysItIsDamaged() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let set = folder.appendingPathComponent("event")
        try FileManager.default.createDirectory(at: set, withIntermediateDirectories: true)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: TestMedia.multiFace))
        try bytes.prefix(bytes.count * 6 / 10).write(to: set.appendingPathComponent("cut.jpg"))
        // A Motion Photo: an MP4 after the JPEG's end is not damage.
        try (bytes + Data([0, 0, 0, 0x18]) + Data("ftypmp42".utf8) + Data(count: 2000)).write(
            to: set.appendingPathComponent("motion.jpg"))
        let output = folder.appendingPathComponent("out")
        let batch = BatchAnalysis(
            videoPipeline: try TestPipelines.builtIn("interview"), photoPipeline: try TestPipelines.builtIn("photos"),
            models: try ModelStore(folder: TestMedia.weights), outputDirectory: output.path)
        let outcome = try batch.run(paths: [set.path], reporter: SilentReporter())
        let result = try XCTUnwrap(outcome.results.first?.outcome)
        XCTAssertEqual(result.status, .partial, "read in part, not failed")
        XCTAssertEqual(result.problems.map(\.code), [.media(.damagedPicture)])
        XCTAssertTrue(result.problems[0].code.isWarning)

        let rows = try String(contentsOf: output.appendingPathComponent("event/photos.csv"), encoding: .utf8).split(
            separator: "\n")
        let cut = try XCTUnwrap(rows.first { $0.hasPrefix("cut.jpg,") })
        XCTAssertTrue(
            cut.hasPrefix(
                "cut.jpg,ok,\"damaged: the file ends before the picture does; a progressive JPEG, so all of it was analysed"
            ), String(cut))
        XCTAssertTrue(try XCTUnwrap(rows.first { $0.hasPrefix("motion.jpg,") }).hasPrefix("motion.jpg,ok,,5,"))
        let manifest = try String(contentsOf: output.appendingPathComponent("event/run.json"), encoding: .utf8)
        XCTAssertTrue(manifest.contains("\"damaged_picture\""))
        let report = try String(contentsOf: output.appendingPathComponent("event/report.html"), encoding: .utf8)
        XCTAssertTrue(report.contains("cut.jpg: damaged: the file ends before the picture does"))
    }
}
