import Foundation
@testable import MoodlineCore
import MoodlineTestSupport
import XCTest

/// Whose results a folder holds is read from `run.json` on its own, so a manifest this version cannot read whole
/// (a newer build's, or one edited by hand) still keeps another input of the same name from clearing the folder.
final class FolderOwnerTests: XCTestCase {
    func testAManifestThisVersionCannotReadStillNamesItsInput() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let inputs = try twoInputsOfOneName(base)
        let output = base.appendingPathComponent("out")
        XCTAssertTrue(try batch(output).run(paths: [inputs.first], reporter: SilentReporter()).succeeded)
        // A status this version does not know, as a newer build might write.
        let manifest = output.appendingPathComponent("a/run.json")
        var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: manifest)) as? [String: Any])
        object["status"] = "from_a_newer_build"
        try JSONSerialization.data(withJSONObject: object).write(to: manifest)
        XCTAssertNil(RunManifest.read(folder: output.appendingPathComponent("a").path), "not readable whole")
        let frames = try Data(contentsOf: output.appendingPathComponent("a/frames.csv"))

        let second = try batch(output).run(paths: [inputs.second], reporter: SilentReporter())
        XCTAssertEqual(second.results[0].outcome.status, .failed)
        XCTAssertTrue(second.results[0].outcome.problems[0].message.contains("another input of the same name"))
        XCTAssertEqual(try Data(contentsOf: output.appendingPathComponent("a/frames.csv")), frames, "left as it was")
    }
}
