import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import MoodlineTestSupport
import XCTest

/// `moodline serve` with real parts: the built server on a free loopback port, real uploads over HTTP, the
/// progress stream, downloads, and requests meant to break it.
final class ServeTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try TestMedia.temporaryFolder(for: self)
    }

    private func start(_ arguments: [String] = []) throws -> TestServer {
        let server = try TestServer(workFolder: folder.appendingPathComponent("work"), arguments: arguments)
        addTeardownBlock { server.stopCheckingItSurvived() }
        return server
    }

    /// Every file under `folder`, relative to it.
    private func files(under folder: URL) -> [String] {
        (FileManager.default.enumerator(atPath: folder.path)?.allObjects as? [String] ?? []).sorted()
    }

    func testAnUploadedVideoGivesTheCommandLinesFramesAndItsProgressIsStreamed() throws {
        let server = try start()
        let upload = try server.upload([
            (name: "WolfgangLanger_Pexels.mp4", data: Data(contentsOf: URL(fileURLWithPath: TestMedia.pexels)))
        ])
        XCTAssertEqual(upload.status, 202, upload.text)
        let id = try XCTUnwrap(upload.json["id"] as? String)

        // The event stream ends with the job: progress events with growing frame counts, then one done event.
        let events = try server.get("/api/jobs/\(id)/events")
        XCTAssertEqual(events.status, 200)
        XCTAssertEqual(events.headers["content-type"], "text/event-stream")
        let progress = events.text.components(separatedBy: "event: progress\n").count - 1
        XCTAssertGreaterThanOrEqual(progress, 2, events.text.prefix(500).description)
        XCTAssertEqual(events.text.components(separatedBy: "event: done\n").count - 1, 1)
        XCTAssertTrue(events.text.contains("\"framesDone\":99"), "the last event has all 99 sampled frames")

        let state = try server.get("/api/jobs/\(id)").json
        XCTAssertEqual(state["status"] as? String, "done")
        let input = try XCTUnwrap((state["inputs"] as? [[String: Any]])?.first)
        XCTAssertEqual(input["faces"] as? Int, 99)
        let links = try XCTUnwrap(input["files"] as? [String])
        let csvLink = try XCTUnwrap(links.first { $0.hasSuffix("/frames.csv") })
        XCTAssertNotNil(links.first { $0.hasSuffix("/report.html") })
        XCTAssertEqual(input["report"] as? String, links.first { $0.hasSuffix("/report.html") })

        // The same frames.csv as `moodline analyze` writes for the same file.
        let cli = try TestProcess.run(
            TestProcess.moodline,
            ["analyze", TestMedia.pexels, "-o", folder.appendingPathComponent("cli").path, "--quiet"])
        XCTAssertEqual(cli.status, 0, cli.errors)
        let expected = try Data(contentsOf: folder.appendingPathComponent("cli/WolfgangLanger_Pexels/frames.csv"))
        let downloaded = try server.get(csvLink + "?download=1")
        XCTAssertEqual(downloaded.status, 200)
        XCTAssertEqual(downloaded.headers["content-type"], "text/csv; charset=utf-8")
        XCTAssertEqual(downloaded.headers["content-disposition"], "attachment; filename=\"frames.csv\"")
        XCTAssertEqual(downloaded.text.split(separator: "\n").count, 100)
        XCTAssertEqual(downloaded.body, expected, "identical to the command line's frames.csv")

        let report = try server.get(try XCTUnwrap(input["report"] as? String))
        XCTAssertEqual(report.status, 200)
        XCTAssertEqual(report.headers["content-type"], "text/html; charset=utf-8")
        XCTAssertTrue(report.text.contains("<html"), "the report itself")
        XCTAssertTrue(report.text.contains("<h1>WolfgangLanger_Pexels.mp4</h1>"), "named as uploaded")

        // The server's terminal says when the job started, on what, and how it ended.
        XCTAssertTrue(server.errors.contains("job \(id) started: WolfgangLanger_Pexels.mp4"), server.errors)
        XCTAssertTrue(
            server.errors.contains("job \(id) done in ")
                && server.errors.contains("1 input(s), 99 frame(s), 0 problem(s)"),
            server.errors)
    }

    func testBadUploadsAreRefusedWithTheReasonAndTheServerGoesOn() throws {
        let root = folder.appendingPathComponent("allowed")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: TestMedia.multiFace, toPath: root.appendingPathComponent("group.jpg").path)
        try FileManager.default.copyItem(atPath: TestMedia.pexels, toPath: root.appendingPathComponent("clip.mp4").path)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("escape").path, withDestinationPath: "/etc")
        let server = try start(["--max-upload-mb", "1", "--jobs", "1", "--queue", "0", "--allow-root", root.path])
        let jobs = server.workFolder.appendingPathComponent("jobs")
        let photo = try Data(contentsOf: URL(fileURLWithPath: TestMedia.multiFace))

        // Over the size limit: 413, and nothing of it is kept.
        let big = try server.upload([(name: "big.mp4", data: Data(repeating: 7, count: 1_500_000))])
        XCTAssertEqual(big.status, 413, big.text)
        XCTAssertTrue((big.json["error"] as? String ?? "").contains("limit"), big.text)
        XCTAssertEqual(files(under: jobs), [], "a refused upload leaves nothing behind")

        // Not a video or photo by its name: 415.
        let text = try server.upload([(name: "notes.txt", data: Data("hello".utf8))])
        XCTAssertEqual(text.status, 415, text.text)
        XCTAssertTrue((text.json["error"] as? String ?? "").contains("notes.txt"), text.text)

        // A text file named .mp4: 422 with the file's name and FFmpeg's reason.
        let fake = try server.upload([
            (name: "holiday.mp4", data: Data(String(repeating: "not a video\n", count: 200).utf8))
        ])
        XCTAssertEqual(fake.status, 422, fake.text)
        XCTAssertTrue(
            (fake.json["error"] as? String ?? "").contains("'holiday.mp4' is not a video or photo that can be read"),
            fake.text)
        XCTAssertEqual(files(under: jobs), [])

        // Not multipart at all: 415; multipart without a file: 400.
        var plain = URLRequest(url: URL(string: server.address + "/api/jobs")!)
        plain.httpMethod = "POST"
        plain.setValue("text/plain", forHTTPHeaderField: "Content-Type")
        plain.httpBody = Data("x".utf8)
        XCTAssertEqual(try server.send(plain).status, 415)
        let empty = try server.upload([])
        XCTAssertEqual(empty.status, 400, empty.text)
        XCTAssertTrue((empty.json["error"] as? String ?? "").hasPrefix("the upload"), empty.text)

        // A name that climbs out of the folder is stored under a generated name inside the job, and shown by its
        // last component only.
        let outside = folder.appendingPathComponent("evil.jpg")
        let climbing = try server.upload([(name: "../../../../\(outside.path.dropFirst())", data: photo)])
        XCTAssertEqual(climbing.status, 202, climbing.text)
        let climbingID = try XCTUnwrap(climbing.json["id"] as? String)
        let climbed = try server.waitForJob(climbingID)
        XCTAssertEqual(climbed["status"] as? String, "done")
        XCTAssertEqual(climbed["files"] as? [String], ["evil.jpg"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: outside.path))
        XCTAssertEqual(
            files(under: jobs.appendingPathComponent(climbingID).appendingPathComponent("uploads")), ["1-evil.jpg"])

        // Result files: only those the job lists.
        XCTAssertEqual(try server.get("/jobs/\(climbingID)/files/uploads/1-evil.jpg").status, 404)
        XCTAssertEqual(try server.get("/jobs/\(climbingID)/files/..%2Fuploads%2F1-evil.jpg").status, 404)
        XCTAssertEqual(try server.get("/jobs/\(climbingID)/files/%2Fetc%2Fpasswd").status, 404)
        XCTAssertEqual(try server.get("/jobs/nosuchjob/files/uploads/frames.csv").status, 404)
        XCTAssertEqual(try server.get("/api/jobs/nosuchjob").status, 404)

        // Server-side paths: only inside --allow-root, links followed before the check.
        XCTAssertEqual(try server.postJSON("/api/jobs", ["path": "../"]).status, 403)
        XCTAssertEqual(try server.postJSON("/api/jobs", ["path": "/etc/passwd"]).status, 403)
        XCTAssertEqual(try server.postJSON("/api/jobs", ["path": "escape/passwd"]).status, 403)
        XCTAssertEqual(try server.postJSON("/api/jobs", ["path": "missing.jpg"]).status, 404)
        XCTAssertEqual(try server.postJSON("/api/jobs", ["nonsense": 1]).status, 400)
        let inPlace = try server.postJSON("/api/jobs", ["path": "group.jpg"])
        XCTAssertEqual(inPlace.status, 202, inPlace.text)
        let inPlaceState = try server.waitForJob(try XCTUnwrap(inPlace.json["id"] as? String))
        XCTAssertEqual(inPlaceState["status"] as? String, "done")
        XCTAssertEqual((inPlaceState["inputs"] as? [[String: Any]])?.first?["faces"] as? Int, 5)

        // With one job running and no room to wait, the next is refused with 429 and the reason.
        let first = try server.postJSON("/api/jobs", ["path": "clip.mp4"])
        XCTAssertEqual(first.status, 202)
        let second = try server.postJSON("/api/jobs", ["path": "group.jpg"])
        XCTAssertEqual(second.status, 429, second.text)
        XCTAssertTrue((second.json["error"] as? String ?? "").contains("busy"), second.text)
        _ = try server.waitForJob(try XCTUnwrap(first.json["id"] as? String))

        // Still serving.
        XCTAssertEqual(try server.get("/api/health").status, 200)
        let status = server.stop()
        if !TestServer.signalsMayBeLost { XCTAssertEqual(status, 0, "SIGTERM ends the server cleanly") }
    }

    func testBadSettingsAndABusyPortAreReportedClearly() throws {
        let badPort = try TestProcess.run(TestProcess.moodline, ["serve", "--port", "70000"])
        XCTAssertEqual(badPort.status, 64)
        XCTAssertTrue(badPort.errors.contains("--port must be between 0 and 65535"), badPort.errors)
        let badRoot = try TestProcess.run(
            TestProcess.moodline, ["serve", "--allow-root", folder.appendingPathComponent("none").path])
        XCTAssertEqual(badRoot.status, 64)
        XCTAssertTrue(badRoot.errors.contains("--allow-root must be an existing folder"), badRoot.errors)

        let server = try start()
        let port = try XCTUnwrap(server.address.split(separator: ":").last.map(String.init))
        let second = try TestProcess.run(
            TestProcess.moodline, ["serve", "--port", port, "--work", folder.appendingPathComponent("second").path])
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(
            second.errors.contains("cannot listen on 127.0.0.1:\(port): Address already in use"), second.errors)
        XCTAssertEqual(try server.get("/api/health").status, 200, "the first server is untouched")
    }
}
