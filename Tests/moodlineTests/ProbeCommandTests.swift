import ArgumentParser
import Foundation
import XCTest
@testable import moodline

final class ProbeCommandTests: XCTestCase {
    private let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testProbeNeedsAPath() {
        XCTAssertThrowsError(try Moodline.parseAsRoot(["probe"])) { error in
            XCTAssertEqual(Moodline.exitCode(for: error), ExitCode.validationFailure)
            XCTAssertEqual(Moodline.message(for: error), "Missing expected argument '<paths> ...'")
        }
    }

    func testBenchmarkRejectsZeroRuns() {
        XCTAssertThrowsError(try Moodline.parseAsRoot(["benchmark", "decode", "x.mp4", "--runs", "0"])) { error in
            XCTAssertEqual(Moodline.message(for: error), "--runs must be at least 1.")
            XCTAssertEqual(Moodline.exitCode(for: error).rawValue, 64)
        }
    }

    func testBuiltBinaryProbesSamplesAndFailsOnAMissingFile() throws {
        let binary = productsDirectory.appendingPathComponent("moodline")
        let sample = repositoryRoot.appendingPathComponent("Samples/WolfgangLanger_Pexels.mp4").path
        let (status, output) = try run(binary, ["probe", sample, "/no/such/file.mp4"])
        XCTAssertEqual(status, 1)
        let lines = output.split(separator: "\n").map {
            try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        XCTAssertEqual(lines.count, 2)
        let info = try XCTUnwrap(lines.first { $0["path"] as? String == sample }?["info"] as? [String: Any])
        XCTAssertEqual(info["width"] as? Int, 640)
        XCTAssertEqual(info["frame_count"] as? Int, 472)
        XCTAssertEqual(
            info["average_frame_rate"] as? Double ?? 0, 23.976, accuracy: 0.001, "snake_case keys, as in run.json")
        let error = try XCTUnwrap(
            lines.first { $0["path"] as? String == "/no/such/file.mp4" }?["error"] as? [String: Any])
        XCTAssertEqual(error["code"] as? String, "file_not_found")

        let (okStatus, _) = try run(binary, ["probe", sample])
        XCTAssertEqual(okStatus, 0)
    }

    private var productsDirectory: URL { Bundle.main.bundleURL }

    private func run(_ binary: URL, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
