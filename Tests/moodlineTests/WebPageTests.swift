import Foundation
import MoodlineTestSupport
import XCTest

/// `moodline serve`'s live WebSocket and its pages, driven by real clients: a WebSocket client that also breaks
/// the protocol on purpose (Tests/web/live_socket_check.py), and headless Chromium through Selenium, with its fake
/// camera playing the sample (Tests/web/browser_check.py). Each script checks as it goes and exits 1 on the
/// first failure, saying what failed.
final class WebPageTests: XCTestCase {
    private var folder: URL!
    private let scripts = TestMedia.repositoryRoot.appendingPathComponent("Tests/web")

    override func setUpWithError() throws {
        folder = try TestMedia.temporaryFolder(for: self)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") || Self.python != nil else {
            throw XCTSkip("python3 is not installed")
        }
    }

    /// python3 on PATH (pyenv's, or Debian's).
    private static var python: String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        return paths.map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    private func start(_ arguments: [String]) throws -> TestServer {
        let server = try TestServer(workFolder: folder.appendingPathComponent("work"), arguments: arguments)
        addTeardownBlock { server.stopCheckingItSurvived() }
        return server
    }

    private func runScript(_ name: String, _ arguments: [String]) throws -> TestProcess.Finished {
        try TestProcess.run(try XCTUnwrap(Self.python), [scripts.appendingPathComponent(name).path] + arguments)
    }

    func testLiveSocketAnswersFramesWithFacesAndRefusesAbuseWhileServing() throws {
        let frame = folder.appendingPathComponent("frame.jpg").path
        try TestProcess.ffmpeg(["-ss", "3", "-i", TestMedia.pexels, "-frames:v", "1", "-vf", "scale=640:480", frame])
        let server = try start(["--live-connections", "2", "--live-fps", "15"])
        let result = try runScript("live_socket_check.py", [server.address, frame])
        XCTAssertEqual(result.status, 0, result.output + result.errors)
        XCTAssertTrue(result.output.contains("all checks passed"), result.output)
        XCTAssertEqual(try server.get("/api/health").status, 200, "still serving")
        XCTAssertEqual(
            server.errors, "", "broken pictures are answered on the socket, not in FFmpeg's words on the terminal")
    }

    func testUploadAndLivePagesInHeadlessChromium() throws {
        for tool in ["/usr/bin/chromium", "/usr/bin/chromedriver"]
        where !FileManager.default.isExecutableFile(atPath: tool) {
            throw XCTSkip("\(tool) is missing (scripts/install-system-packages.sh --checks installs it)")
        }
        guard try TestProcess.run(try XCTUnwrap(Self.python), ["-c", "import selenium"]).status == 0 else {
            throw XCTSkip("Selenium is missing (scripts/install-system-packages.sh --checks installs it)")
        }
        // The camera: the sample at 640x480 as Motion JPEG, which Chromium's fake capture device plays in a loop.
        let camera = folder.appendingPathComponent("camera.mjpeg").path
        try TestProcess.ffmpeg([
            "-i", TestMedia.pexels, "-t", "10", "-vf", "scale=640:480", "-q:v", "5", "-f", "mjpeg", camera,
        ])
        let fake = folder.appendingPathComponent("holiday.mp4")
        try Data(String(repeating: "not a video\n", count: 200).utf8).write(to: fake)
        // MOODLINE_SCREENSHOTS keeps the screenshots (the README's comes from here); otherwise they are thrown away.
        let screenshots = ProcessInfo.processInfo.environment["MOODLINE_SCREENSHOTS"] ?? folder.path
        let server = try start([])
        let result = try runScript(
            "browser_check.py", [server.address, TestMedia.pexels, fake.path, camera, screenshots])
        XCTAssertEqual(result.status, 0, result.output + result.errors)
        XCTAssertTrue(result.output.contains("all checks passed"), result.output)
    }
}
