import Foundation
import MoodlineTestSupport
import XCTest

/// `moodline serve` against hostile clients on raw sockets (Tests/web/hostile_http_check.py): foreign Host and
/// Origin headers, idle WebSockets, malformed requests, clients that never finish their headers or bodies. Each
/// check starts the server with the settings it needs, and the script exits 1 on the first failure, saying what.
final class ServeGateTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try TestMedia.temporaryFolder(for: self)
        guard Self.python != nil else { throw XCTSkip("python3 is not installed") }
    }

    /// python3 on PATH.
    private static var python: String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        return paths.map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts a server with `arguments`, runs the check, and requires it to pass with the server still up.
    private func check(
        _ name: String, _ scriptArguments: [String] = [], server arguments: [String] = [],
        addingPID: Bool = false, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let server = try TestServer(workFolder: folder.appendingPathComponent("work-\(name)"), arguments: arguments)
        defer { server.stopCheckingItSurvived(file: file, line: line) }
        let script = TestMedia.repositoryRoot.appendingPathComponent("Tests/web/hostile_http_check.py").path
        let pid = addingPID ? ["\(server.process.processIdentifier)"] : []
        let result = try TestProcess.run(
            try XCTUnwrap(Self.python), [script, server.address, name] + scriptArguments + pid)
        XCTAssertEqual(result.status, 0, result.output + result.errors, file: file, line: line)
        XCTAssertTrue(result.output.contains("\(name): all checks passed"), result.output, file: file, line: line)
        XCTAssertEqual(try server.get("/api/health").status, 200, "still serving", file: file, line: line)
    }

    func testForeignHostHeadersAreRefused() throws {
        try check("hosts")
    }

    func testCrossSitePostsAndWebSocketsAreRefusedAndOwnPagesServed() throws {
        try check("origins", [TestMedia.multiFace])
    }

    func testAnIdleLiveSocketIsClosedWithTheReasonAndItsSlotFreed() throws {
        try check("live-idle", ["2"], server: ["--live-idle-timeout", "2", "--live-connections", "1"])
    }

    func testMalformedRequestsAreAnsweredWithTheReason() throws {
        try check("malformed")
    }

    func testAClientThatNeverFinishesItsHeadersIsAnswered408() throws {
        try check("header-timeout", ["2"], server: ["--header-timeout", "2"])
    }

    /// Three uploads and a live frame of a few kilobytes each declaring 14000x14000 16-bit RGBA (1.5 GB decoded):
    /// refused by their headers within seconds, the server's peak memory (VmHWM) well under one of them decoded.
    func testPictureBombsAreRefusedByTheirHeadersAndMemoryStaysLow() throws {
        try check("bombs", addingPID: true)
    }

    func testIdleAndStalledUploadsDoNotLockOutTheQueue() throws {
        try check(
            "idle-uploads", [TestMedia.multiFace, "2"], server: ["--body-timeout", "2", "--jobs", "1", "--queue", "4"])
    }
}
