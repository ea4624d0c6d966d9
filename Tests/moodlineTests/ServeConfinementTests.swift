import Foundation
import MoodlineTestSupport
import XCTest

/// `moodline serve --allow-root`: a folder asked for by path is walked, and nothing the walk reaches through a
/// link may lead out of the allowed folder.
final class ServeConfinementTests: XCTestCase {
    func testLinksInsideAnAllowedFolderThatLeadOutAreSkippedAndNamed() throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let manager = FileManager.default
        let root = folder.appendingPathComponent("allowed"), album = root.appendingPathComponent("album")
        let outside = folder.appendingPathComponent("private")
        try manager.createDirectory(at: album, withIntermediateDirectories: true)
        try manager.createDirectory(at: outside.appendingPathComponent("more"), withIntermediateDirectories: true)
        try manager.copyItem(atPath: TestMedia.multiFace, toPath: album.appendingPathComponent("group.jpg").path)
        try manager.copyItem(atPath: TestMedia.astronaut, toPath: outside.appendingPathComponent("secret.png").path)
        try manager.copyItem(
            atPath: TestMedia.astronaut, toPath: outside.appendingPathComponent("more/hidden.png").path)
        // A linked file and a linked folder, both leading out; and a link that stays inside, which is kept.
        try manager.createSymbolicLink(
            atPath: album.appendingPathComponent("secret.png").path,
            withDestinationPath: outside.appendingPathComponent("secret.png").path)
        try manager.createSymbolicLink(
            atPath: album.appendingPathComponent("elsewhere").path,
            withDestinationPath: outside.appendingPathComponent("more").path)
        try manager.createSymbolicLink(
            atPath: album.appendingPathComponent("relative.png").path, withDestinationPath: "../../private/secret.png")

        let server = try TestServer(
            workFolder: folder.appendingPathComponent("work"), arguments: ["--allow-root", root.path])
        defer { server.stopCheckingItSurvived() }
        // The direct link was refused already; the folder holding it is taken, without what leads out.
        XCTAssertEqual(try server.postJSON("/api/jobs", ["path": "album/secret.png"]).status, 403)
        let posted = try server.postJSON("/api/jobs", ["path": "album"])
        XCTAssertEqual(posted.status, 202, posted.text)
        let state = try server.waitForJob(try XCTUnwrap(posted.json["id"] as? String))
        XCTAssertEqual(state["status"] as? String, "done", "\(state)")
        let problems = try XCTUnwrap(state["problems"] as? [String])
        for name in ["secret.png", "elsewhere", "relative.png"] {
            XCTAssertTrue(
                problems.contains { $0.hasPrefix(name + ": ") && $0.contains("leads outside the allowed folder") },
                "\(name) is named among the problems: \(problems)")
        }
        let input = try XCTUnwrap((state["inputs"] as? [[String: Any]])?.first)
        XCTAssertEqual(input["faces"] as? Int, 5, "only group.jpg's five faces, nothing from outside")
        let links = try XCTUnwrap(input["files"] as? [String])
        let frames = try server.get(try XCTUnwrap(links.first { $0.hasSuffix("/frames.csv") }))
        XCTAssertEqual(frames.status, 200)
        XCTAssertTrue(frames.text.contains("group.jpg"), frames.text)
        for name in ["secret", "hidden"] {
            XCTAssertFalse(frames.text.contains(name), "no row from a file outside: \(frames.text)")
            XCTAssertFalse(links.contains { $0.contains(name) }, "no result file from a file outside: \(links)")
        }
    }
}
