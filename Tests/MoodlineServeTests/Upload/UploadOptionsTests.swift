import Foundation
import Hummingbird
import HummingbirdTesting
@testable import MoodlineServe
import MoodlineTestSupport
import NIOCore
import XCTest

/// The upload form's options reach the analysis as the command line's flags would (the range, the subject rule,
/// the annotated video, another pipeline), and are refused with the command line's reasons.
final class UploadOptionsTests: XCTestCase {
    func testTheFormsOptionsAreAppliedAsTheFlagsWouldBe() async throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let video = try ServeHarness.file(TestMedia.pexels)
        try await ServeHarness.server(in: folder).makeApplication().test(.router) { client in
            let id = try await client.submit(
                [(name: "clip.mp4", data: video)],
                fields: ["pipeline": "fast", "start": "0:02", "end": "5.5", "subject": "all", "annotate": "1"])
            _ = try await client.events(of: id)
            let state = try await client.state(of: id)
            XCTAssertEqual(state.status, .done, "\(state)")
            let input = try XCTUnwrap(state.inputs.first)
            XCTAssertEqual(input.folder, "clip.2s-5.5s", "named for its range, as on the command line")
            XCTAssertTrue(input.files.contains { $0.hasSuffix("/annotated.mp4") }, "\(input.files)")
            let rows = String(
                buffer: try await client.execute(uri: "/jobs/\(id)/files/clip.2s-5.5s/frames.csv", method: .get).body
            ).split(separator: "\n").dropFirst()
            let header = String(
                buffer: try await client.execute(uri: "/jobs/\(id)/files/clip.2s-5.5s/frames.csv", method: .get).body
            ).split(separator: "\n")[0].split(separator: ",")
            let time = try XCTUnwrap(header.firstIndex(of: "time_s"))
            let times = rows.map { Double($0.split(separator: ",")[time])! }
            XCTAssertGreaterThanOrEqual(times.min()!, 2)
            XCTAssertLessThan(times.max()!, 5.5)
            let manifest =
                try JSONSerialization.jsonObject(
                    with: Data(
                        buffer: try await client.execute(uri: "/jobs/\(id)/files/clip.2s-5.5s/run.json", method: .get)
                            .body))
                as? [String: Any]
            let pipeline = try XCTUnwrap(manifest?["pipeline"] as? [String: Any])
            XCTAssertEqual(pipeline["name"] as? String, "fast")
            XCTAssertEqual((pipeline["tracking"] as? [String: Any])?["subject"] as? String, "all")
        }
    }

    func testOptionsTheCommandLineWouldRefuseAreRefusedWithItsReason() async throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let photo = try ServeHarness.file(TestMedia.astronaut)
        try await ServeHarness.server(in: folder).makeApplication().test(.router) { client in
            let cases: [(fields: KeyValuePairs<String, String>, says: String)] = [
                (["start": "soon"], "--start"),
                (["start": "10", "end": "5"], "--end"),
                (["subject": "tallest"], "--subject"),
                (["pipeline": "nonsense"], "no pipeline 'nonsense' here (offered: interview, fast)"),
                (["pipeline": "photos"], "no pipeline 'photos' here"),
                (["colour": "red"], "the form field 'colour' is not an option"),
            ]
            for (fields, says) in cases {
                let reply = try await client.upload([(name: "a.png", data: photo)], fields: fields)
                XCTAssertEqual(reply.status, .badRequest, "\(fields)")
                XCTAssertTrue(String(buffer: reply.body).contains(says), "\(fields): \(String(buffer: reply.body))")
            }
            let long = try await client.upload(
                [(name: "a.png", data: photo)], fields: ["start": String(repeating: "1", count: 300)])
            XCTAssertEqual(long.status, .badRequest)
            XCTAssertTrue(String(buffer: long.body).contains("longer than 256 bytes"), String(buffer: long.body))
            // Nothing of the refused uploads is left.
            let jobs = try FileManager.default.contentsOfDirectory(
                atPath: folder.appendingPathComponent("work/jobs").path)
            XCTAssertEqual(jobs, [])
            // The page offers the server's pipelines, its own first.
            let page = String(buffer: try await client.execute(uri: "/", method: .get).body)
            XCTAssertTrue(
                page.contains("<option value=\"interview\">interview</option><option value=\"fast\">fast</option>"))
        }
    }
}
