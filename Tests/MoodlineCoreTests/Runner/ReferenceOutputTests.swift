import Foundation
import MoodlineCore
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// The outputs for the samples are those saved in Fixtures/reference-outputs by scripts/make-reference-outputs.sh
/// (taken from the build before the extension-point rework, and checked then against the first release's
/// outputs): the same rows, columns, text and labels, and numbers within `OutputComparison.tolerance` (OpenBLAS's
/// kernel differs between CPUs, and with it the last printed digit). On the machine that made them they are
/// byte for byte the same; code that rearranges the pipeline must not change a byte there.
final class ReferenceOutputTests: XCTestCase {
    override func setUp() {
        // As the command-line tool does: frames run in parallel, so one BLAS thread each.
        BLAS.setThreads(1)
    }

    func testSampleOutputsAreByteIdenticalToTheReference() throws {
        let output = try TestMedia.temporaryFolder(for: self)
        let parse = { (name: String) in try TestPipelines.builtIn(name) }
        let batch = BatchAnalysis(
            videoPipeline: try parse("interview"), photoPipeline: try parse("photos"),
            models: try ModelStore(folder: TestMedia.weights), outputDirectory: output.path)
        let outcome = try batch.run(
            paths: [TestMedia.pexels, TestMedia.multiFace, TestMedia.samples.path], reporter: SilentReporter())
        XCTAssertTrue(outcome.succeeded)
        let reference = TestMedia.golden("MoodlineCoreTests", "reference-outputs")
        var compared = 0
        for folder in try FileManager.default.contentsOfDirectory(atPath: reference.path) {
            for file in try FileManager.default.contentsOfDirectory(
                atPath: reference.appendingPathComponent(folder).path)
            {
                let want = try String(
                    contentsOf: reference.appendingPathComponent("\(folder)/\(file)"), encoding: .utf8)
                let got = try String(contentsOf: output.appendingPathComponent("\(folder)/\(file)"), encoding: .utf8)
                // tracks.json names the input as it was given; the reference was made with a relative path.
                let differences = OutputComparison.differences(
                    got: Self.withoutInputPath(got), want: Self.withoutInputPath(want),
                    name: "\(folder)/\(file)")
                XCTAssertEqual(differences, [], "\(folder)/\(file) differs from the reference")
                compared += 1
            }
        }
        XCTAssertEqual(compared, 15)
    }

    private static func withoutInputPath(_ text: String) -> String {
        text.replacingOccurrences(of: #""input":"[^"]*""#, with: #""input":"""#, options: .regularExpression)
    }
}
