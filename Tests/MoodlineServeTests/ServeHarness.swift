import Foundation
import Hummingbird
import HummingbirdTesting
@testable import MoodlineServe
import MoodlineCore
import MoodlineTestSupport
import NIOCore
import XCTest

/// A server built in-process on a test's own work folder, and the requests the tests send to its router.
enum ServeHarness {
    /// A server with the built-in pipelines and the repository's weights, changed by `configure`.
    static func server(in folder: URL, _ configure: (inout ServeSettings) -> Void = { _ in }) throws -> MoodlineServer {
        var settings = ServeSettings(
            workFolder: folder.appendingPathComponent("work").path,
            videoPipeline: try TestPipelines.builtIn("interview"),
            photoPipeline: try TestPipelines.builtIn("photos"))
        configure(&settings)
        return try MoodlineServer(settings: settings, models: try ModelStore(folder: TestMedia.weights))
    }

    /// A `multipart/form-data` body with the form's fields (the options), then one `file` part per file, as the
    /// upload page sends it.
    static func multipart(
        _ files: [(name: String, data: Data)], fields: KeyValuePairs<String, String> = [:]
    ) -> (headers: HTTPFields, body: ByteBuffer) {
        let boundary = "moodline-test-boundary"
        var body = Data()
        for (name, value) in fields {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for file in files {
            body += Data("--\(boundary)\r\n".utf8)
            body += Data("Content-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\n".utf8)
            body += Data("Content-Type: application/octet-stream\r\n\r\n".utf8)
            body += file.data + Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        return ([.contentType: "multipart/form-data; boundary=\(boundary)"], ByteBuffer(bytes: body))
    }

    static func file(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }
}

extension TestClientProtocol {
    /// POSTs the files to `/api/jobs` as the upload page does.
    func upload(
        _ files: [(name: String, data: Data)], fields: KeyValuePairs<String, String> = [:]
    ) async throws -> TestResponse {
        let form = ServeHarness.multipart(files, fields: fields)
        return try await execute(uri: "/api/jobs", method: .post, headers: form.headers, body: form.body)
    }

    /// Uploads the files and returns the new job's ID, failing the test unless the upload is accepted (202).
    func submit(
        _ files: [(name: String, data: Data)], fields: KeyValuePairs<String, String> = [:],
        file: StaticString = #filePath, line: UInt = #line
    ) async throws -> String {
        let reply = try await upload(files, fields: fields)
        XCTAssertEqual(reply.status, .accepted, String(buffer: reply.body), file: file, line: line)
        let fields = try JSONDecoder().decode([String: String].self, from: Data(reply.body.readableBytesView))
        return try XCTUnwrap(fields["id"], file: file, line: line)
    }

    /// The job's progress stream, read to its end (the stream ends when the job has finished).
    func events(of id: String) async throws -> String {
        let reply = try await execute(uri: "/api/jobs/\(id)/events", method: .get)
        XCTAssertEqual(reply.status, .ok)
        XCTAssertEqual(reply.headers[.contentType], "text/event-stream")
        return String(buffer: reply.body)
    }

    /// The job's state from the status endpoint.
    func state(of id: String) async throws -> JobState {
        let reply = try await execute(uri: "/api/jobs/\(id)", method: .get)
        XCTAssertEqual(reply.status, .ok, String(buffer: reply.body))
        return try JSONDecoder().decode(JobState.self, from: Data(reply.body.readableBytesView))
    }
}
