import Foundation
import Hummingbird
import HummingbirdTesting
@testable import MoodlineServe
import MoodlineTestSupport
import NIOCore
import XCTest

/// Uploads sent straight to the server's router (no socket): stored, analysed as the files they are, each result
/// under the name the browser gave; refused with the right status when they break a limit or the queue is full.
final class ServeUploadTests: XCTestCase {
    func testEachUploadedFileIsAnInputListedUnderItsOriginalName() async throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let server = try ServeHarness.server(in: folder)
        let photo = try ServeHarness.file(TestMedia.multiFace)
        let video = try ServeHarness.file(TestMedia.fixture("nobframes.mp4"))
        try await server.makeApplication().test(.router) { client in
            let id = try await client.submit([
                (name: "Group photo.jpg", data: photo),
                (name: "holiday clip.mp4", data: video),
            ])
            _ = try await client.events(of: id)
            let state = try await client.state(of: id)
            XCTAssertEqual(state.status, .done, "\(state)")
            XCTAssertEqual(state.files, ["Group photo.jpg", "holiday clip.mp4"])
            XCTAssertEqual(
                Set(state.inputs.map(\.name)), ["Group photo.jpg", "holiday clip.mp4"],
                "one input per stored file, by its original name")
            let group = try XCTUnwrap(state.inputs.first { $0.name == "Group photo.jpg" })
            XCTAssertEqual(group.folder, "Group photo", "named as uploaded")
            XCTAssertEqual(group.faces, 5)
            XCTAssertEqual(group.report, "/jobs/\(id)/files/Group%20photo/report.html")
            XCTAssertTrue(group.files.contains("/jobs/\(id)/files/Group%20photo/frames.csv"), "\(group.files)")
            XCTAssertTrue(group.files.contains("/jobs/\(id)/files/Group%20photo/run.json"), "\(group.files)")
            // Every listed file is there to download.
            for address in state.inputs.flatMap(\.files) {
                let reply = try await client.execute(uri: address, method: .get)
                XCTAssertEqual(reply.status, .ok, address)
            }
            let frames = try await client.execute(
                uri: "/jobs/\(id)/files/Group%20photo/frames.csv?download=1",
                method: .get)
            XCTAssertEqual(frames.headers[.contentType], "text/csv; charset=utf-8")
            XCTAssertEqual(frames.headers[.contentDisposition], "attachment; filename=\"frames.csv\"")
            // The report names the file as it was uploaded, never where the server stored it.
            let report = String(
                buffer: try await client.execute(uri: "/jobs/\(id)/files/Group%20photo/report.html", method: .get).body)
            XCTAssertTrue(report.contains("<h1>Group photo.jpg</h1>"), String(report.prefix(600)))
            for stored in ["uploads", "1-Group"] {
                XCTAssertNil(
                    report.range(of: stored), "\(stored): \(report.components(separatedBy: stored).first!.suffix(200))")
            }
        }
        let uploads = folder.appendingPathComponent("work/jobs").path
        let job = try XCTUnwrap(FileManager.default.contentsOfDirectory(atPath: uploads).first)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: uploads + "/" + job + "/uploads").sorted(),
            ["1-Group_photo.jpg", "2-holiday_clip.mp4"], "stored under generated names")
    }

    /// Several photos in one upload are one photo set, with one report over them all, as a folder of photos is on
    /// the command line; a photo's problem names the file the user uploaded, not the stored one.
    func testThePhotosOfOneUploadAreOneSet() async throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let server = try ServeHarness.server(in: folder)
        let photo = try ServeHarness.file(TestMedia.multiFace)
        let video = try ServeHarness.file(TestMedia.fixture("nobframes.mp4"))
        try await server.makeApplication().test(.router) { client in
            let id = try await client.submit([
                (name: "first.jpg", data: photo), (name: "clip.mp4", data: video),
                (name: "second.jpg", data: photo), (name: "cut short.jpg", data: photo.prefix(photo.count / 2)),
                (name: "same.jpg", data: photo), (name: "same.jpg", data: photo),
            ])
            _ = try await client.events(of: id)
            let state = try await client.state(of: id)
            XCTAssertEqual(state.status, .done, "\(state)")
            XCTAssertEqual(state.inputs.map(\.name).sorted(), ["5 photos", "clip.mp4"])
            let set = try XCTUnwrap(state.inputs.first { $0.name == "5 photos" })
            XCTAssertEqual(set.folder, "photos")
            XCTAssertGreaterThanOrEqual(set.faces, 10, "the photos' faces in one set")
            XCTAssertTrue(set.problems.contains { $0.hasPrefix("cut short.jpg: damaged") }, "\(set.problems)")
            XCTAssertTrue(state.problems.contains { $0.hasPrefix("cut short.jpg: damaged") }, "\(state.problems)")
            XCTAssertEqual(set.report, "/jobs/\(id)/files/photos/report.html")
            let rows = try await client.execute(uri: "/jobs/\(id)/files/photos/photos.csv", method: .get)
            XCTAssertEqual(rows.status, .ok)
            let table = String(buffer: rows.body).split(separator: "\n")
            XCTAssertEqual(table.count, 6, "a header and a row per photo")
            // Each photo by the name it was sent under; two sent under one name keep the names they were stored as.
            let names = table.dropFirst().map { $0.split(separator: ",")[0] }
            XCTAssertEqual(
                names.sorted(), ["cut short.jpg", "5-same.jpg", "6-same.jpg", "first.jpg", "second.jpg"].sorted(),
                "\(table)")
            let report = String(
                buffer: try await client.execute(uri: "/jobs/\(id)/files/photos/report.html", method: .get).body)
            XCTAssertTrue(report.contains("<h1>5 photos</h1>"), String(report.prefix(600)))
            XCTAssertFalse(report.contains("uploads"), String(report.prefix(600)))
        }
    }

    func testUploadsThatBreakALimitAreRefusedWithTheReasonAndLeaveNothing() async throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let server = try ServeHarness.server(in: folder) { settings in
            settings.maximumUploadBytes = 10_000
            settings.maximumUploadFiles = 1
        }
        let photo = try ServeHarness.file(TestMedia.multiFace)
        let tiny = try ServeHarness.file(TestMedia.fixture("redblue.jpg"))
        try await server.makeApplication().test(.router) { client in
            let big = try await client.upload([(name: "big.jpg", data: photo)])
            XCTAssertEqual(big.status, .contentTooLarge)
            XCTAssertTrue(String(buffer: big.body).contains("the limit is 0.0 MB"), String(buffer: big.body))
            let many = try await client.upload([(name: "a.jpg", data: tiny), (name: "b.jpg", data: tiny)])
            XCTAssertEqual(many.status, .contentTooLarge)
            XCTAssertTrue(String(buffer: many.body).contains("more than 1 files"), String(buffer: many.body))
            let text = try await client.upload([(name: "notes.txt", data: Data("hello".utf8))])
            XCTAssertEqual(text.status, .unsupportedMediaType)
            let notVideo = Data(String(repeating: "not a video\n", count: 100).utf8)
            let fake = try await client.upload([(name: "fake.mp4", data: notVideo)])
            XCTAssertEqual(fake.status, .unprocessableContent)
            XCTAssertTrue(
                String(buffer: fake.body).contains("'fake.mp4' is not a video or photo that can be read"),
                String(buffer: fake.body))
            let empty = try await client.upload([])
            XCTAssertEqual(empty.status, .badRequest)
            let plain = try await client.execute(
                uri: "/api/jobs", method: .post, headers: [.contentType: "text/plain"],
                body: ByteBuffer(string: "x"))
            XCTAssertEqual(plain.status, .unsupportedMediaType)
        }
        let jobs = folder.appendingPathComponent("work/jobs").path
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: jobs), [], "a refused upload leaves nothing behind")
    }

    func testAFullQueueIsRefusedWith429UntilAPlaceIsFree() async throws {
        let folder = try TestMedia.temporaryFolder(for: self)
        let server = try ServeHarness.server(in: folder) { settings in
            settings.jobs = 1
            settings.queueLimit = 0
        }
        let tiny = try ServeHarness.file(TestMedia.fixture("redblue.jpg"))
        // An upload whose body is flowing holds the one place.
        let receiving = server.queue.reservation()
        XCTAssertTrue(receiving.hold())
        try await server.makeApplication().test(.router) { client in
            let busy = try await client.upload([(name: "photo.jpg", data: tiny)])
            XCTAssertEqual(busy.status, .tooManyRequests)
            XCTAssertTrue(
                String(buffer: busy.body).contains("the server is busy: 0 running, 0 waiting and 1 being uploaded"),
                String(buffer: busy.body))
            let health = try await client.execute(uri: "/api/health", method: .get)
            let load = try JSONDecoder().decode([String: Int].self, from: Data(health.body.readableBytesView))
            XCTAssertEqual(load["receiving"], 1)

            receiving.release()
            let id = try await client.submit([(name: "photo.jpg", data: tiny)])
            _ = try await client.events(of: id)
            let state = try await client.state(of: id)
            XCTAssertEqual(state.status, .done, "\(state)")
        }
    }
}
