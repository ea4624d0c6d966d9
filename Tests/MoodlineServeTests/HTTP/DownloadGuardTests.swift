import Foundation
import Hummingbird
import HummingbirdTesting
@testable import MoodlineServe
import MoodlineTestSupport
import XCTest

/// Result downloads: only the files a job's analysis reports it wrote; no path in a request reaches the disk.
final class DownloadGuardTests: XCTestCase {
    func testPathsThatEscapeTheResultsOrAreNotListedAreNotFound() async throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let server = try ServeHarness.server(in: folder)
        let photo = try ServeHarness.file(TestMedia.multiFace)
        try await server.makeApplication().test(.router) { client in
            let id = try await client.submit([(name: "group.jpg", data: photo)])
            _ = try await client.events(of: id)
            let results = folder.appendingPathComponent("work/jobs/\(id)/results")
            // A file in the results folder that the analysis did not write is not offered either.
            try Data("x".utf8).write(to: results.appendingPathComponent("group/planted.csv"))

            let listed = try await client.execute(uri: "/jobs/\(id)/files/group/frames.csv", method: .get)
            XCTAssertEqual(listed.status, .ok)
            let refused = [
                "../uploads/1-group.jpg", "%2e%2e/uploads/1-group.jpg", "%2E%2E%2Fuploads%2F1-group.jpg",
                "..%2Fuploads%2F1-group.jpg", "group/../../uploads/1-group.jpg",
                "group/%2e%2e/%2e%2e/uploads/1-group.jpg",
                "%2Fetc%2Fpasswd", "/etc/passwd",
                "%2F" + results.path.dropFirst() + "%2Fgroup%2Fframes.csv", "group/planted.csv",
            ]
            for path in refused {
                let reply = try await client.execute(uri: "/jobs/\(id)/files/" + path, method: .get)
                XCTAssertEqual(reply.status, .notFound, path)
                XCTAssertFalse(String(buffer: reply.body).contains("root:"), path)
            }
            let unknownJob = try await client.execute(
                uri: "/jobs/0000000000000000/files/group/frames.csv",
                method: .get)
            XCTAssertEqual(unknownJob.status, .notFound)
        }
    }
}
