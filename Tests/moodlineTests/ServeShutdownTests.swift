import Foundation
import MoodlineTestSupport
import XCTest

/// What `moodline serve` leaves in its work folder: a running job's outputs when it is stopped, and no more job
/// folders than `--keep-jobs`, counting those of earlier runs.
final class ServeShutdownTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try TestMedia.temporaryFolder(for: self)
    }

    func testSIGTERMFinishesARunningJobsOutputsWithStatusStopped() throws {
        if TestServer.signalsMayBeLost { throw XCTSkip("signals may be lost under ThreadSanitizer") }
        let root = folder.appendingPathComponent("allowed")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        // Ten minutes of video, so that the job is surely running when the signal comes.
        try TestProcess.ffmpeg([
            "-stream_loop", "30", "-i", TestMedia.pexels, "-c", "copy", root.appendingPathComponent("long.mp4").path,
        ])
        let server = try TestServer(
            workFolder: folder.appendingPathComponent("work"), arguments: ["--allow-root", root.path])
        let posted = try server.postJSON("/api/jobs", ["path": "long.mp4"])
        XCTAssertEqual(posted.status, 202, posted.text)
        let id = try XCTUnwrap(posted.json["id"] as? String)
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, (try server.get("/api/jobs/\(id)").json["framesDone"] as? Int ?? 0) < 20 {
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTAssertEqual(try server.get("/api/jobs/\(id)").json["status"] as? String, "running")
        XCTAssertEqual(server.stop(), 0, server.errors)

        let results = server.workFolder.appendingPathComponent("jobs/\(id)/results/long")
        let manifest = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: results.appendingPathComponent("run.json")))
                as? [String: Any])
        XCTAssertEqual(manifest["status"] as? String, "stopped")
        let outputs = try XCTUnwrap(manifest["outputs"] as? [String])
        for name in ["frames.csv", "report.html", "tracks.json", "timeline.csv"] {
            XCTAssertTrue(outputs.contains(name), "\(name) among \(outputs)")
            XCTAssertTrue(FileManager.default.fileExists(atPath: results.appendingPathComponent(name).path), name)
        }
        let rows = try String(contentsOf: results.appendingPathComponent("frames.csv"), encoding: .utf8).split(
            separator: "\n"
        ).count
        XCTAssertGreaterThan(rows, 20, "the frames analysed before the signal")
        XCTAssertLessThan(rows, 14_000, "and not the whole video")
    }

    func testJobFoldersOfEarlierRunsAreKeptToKeepJobsOldestFirst() throws {
        let jobs = folder.appendingPathComponent("work/jobs")
        let earlier = (1...5).map { String(format: "%016x", 0xabc0 + $0) }
        for (age, id) in zip([5, 4, 3, 2, 1], earlier) {
            let job = jobs.appendingPathComponent(id)
            try FileManager.default.createDirectory(
                at: job.appendingPathComponent("results"), withIntermediateDirectories: true)
            try FileManager.default.setAttributes(
                [.modificationDate: Date().addingTimeInterval(-86_400 * Double(age))], ofItemAtPath: job.path)
        }
        // Not the server's: never touched.
        try FileManager.default.createDirectory(
            at: jobs.appendingPathComponent("notes"), withIntermediateDirectories: true)

        let server = try TestServer(workFolder: folder.appendingPathComponent("work"), arguments: ["--keep-jobs", "3"])
        defer { server.stopCheckingItSurvived() }
        func left() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: jobs.path)) ?? []).sorted() }
        XCTAssertEqual(
            left(), (Array(earlier.suffix(3)) + ["notes"]).sorted(), "the two oldest are deleted at start-up")

        let upload = try server.upload([
            (name: "group.jpg", data: Data(contentsOf: URL(fileURLWithPath: TestMedia.multiFace)))
        ])
        XCTAssertEqual(upload.status, 202, upload.text)
        let id = try XCTUnwrap(upload.json["id"] as? String)
        XCTAssertEqual(try server.waitForJob(id)["status"] as? String, "done")
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(
            left(), (Array(earlier.suffix(2)) + [id, "notes"]).sorted(), "a new job pushes out the oldest earlier one")
    }
}
