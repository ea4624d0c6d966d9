import Foundation
import Hummingbird
import HummingbirdTesting
@testable import MoodlineServe
import MoodlineTestSupport
import NIOCore
import XCTest

/// Each job has a page of its own and the server a list of jobs, and both survive a restart of the server: a
/// finished job's state and files are kept in its folder (`job.json`) and offered again.
final class JobPagesTests: XCTestCase {
    func testJobsAreListedNewestFirstAndKeepTheirPagesAcrossARestart() async throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let photo = try ServeHarness.file(TestMedia.astronaut)
        let ids = try await ServeHarness.server(in: folder).makeApplication().test(.router) { client in
            var ids: [String] = []
            for name in ["first.png", "second.png"] {
                let id = try await client.submit([(name: name, data: photo)])
                _ = try await client.events(of: id)
                ids.append(id)
            }
            let list = try await Self.list(client)
            XCTAssertEqual(list.map(\.id), ids.reversed(), "newest first")
            XCTAssertEqual(list.map(\.files), [["second.png"], ["first.png"]])
            XCTAssertTrue(list.allSatisfy { $0.status == .done && !$0.submitted.isEmpty })
            let page = try await client.execute(uri: "/jobs/\(ids[0])", method: .get)
            XCTAssertEqual(page.status, .ok)
            XCTAssertTrue(String(buffer: page.body).contains("openJob(location.pathname"), "the job page's script")
            let unknown = try await client.execute(uri: "/jobs/0000000000000000", method: .get)
            XCTAssertEqual(unknown.status, .notFound)
            XCTAssertTrue(String(buffer: unknown.body).contains("<html"), "a page that says so, not bare JSON")
            return ids
        }
        // A new server on the same work folder: the same jobs, states and files.
        try await ServeHarness.server(in: folder).makeApplication().test(.router) { client in
            let list = try await Self.list(client)
            XCTAssertEqual(list.map(\.id), ids.reversed())
            let state = try await client.state(of: ids[0])
            XCTAssertEqual(state.status, .done)
            XCTAssertEqual(state.inputs.map(\.name), ["first.png"])
            let report = try XCTUnwrap(state.inputs.first?.report)
            let reply = try await client.execute(uri: report, method: .get)
            XCTAssertEqual(reply.status, .ok, "its files are offered again")
            let page = try await client.execute(uri: "/jobs/\(ids[0])", method: .get)
            XCTAssertEqual(page.status, .ok)
        }
        // Only as many as the server keeps: the oldest job and its page go.
        try await ServeHarness.server(in: folder) { $0.keptJobs = 1 }.makeApplication().test(.router) { client in
            let list = try await Self.list(client)
            XCTAssertEqual(list.map(\.id), [ids[1]])
            let gone = try await client.execute(uri: "/jobs/\(ids[0])", method: .get)
            XCTAssertEqual(gone.status, .notFound)
        }
    }

    private static func list(_ client: any TestClientProtocol) async throws -> [JobState] {
        let reply = try await client.execute(uri: "/api/jobs", method: .get)
        XCTAssertEqual(reply.status, .ok)
        return try JSONDecoder().decode(ListReply.self, from: Data(buffer: reply.body)).jobs
    }
}

/// `/api/jobs` as the page reads it.
private struct ListReply: Decodable {
    let jobs: [JobState]
}
