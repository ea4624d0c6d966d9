import Foundation
import MoodlineCore
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// `face_embeddings.jsonl` (`--write-embeddings`): never written unless asked for (an embedding is biometric data),
/// and when asked for, one line per grouped face or track that names the same person as the other outputs, with
/// the vector persons were grouped by.
final class FaceEmbeddingsOutputTests: XCTestCase {
    override func setUp() {
        BLAS.setThreads(1)
    }

    func testEmbeddingsAreWrittenOnlyWhenAskedAndNameEachFacesPerson() throws {
        let root = try TestMedia.temporaryFolder(for: self)
        let photos = root.appendingPathComponent("event")
        try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: TestMedia.multiFace, toPath: photos.appendingPathComponent("a.jpg").path)
        try FileManager.default.copyItem(
            atPath: TestMedia.astronaut, toPath: photos.appendingPathComponent("b.png").path)
        var video = try TestPipelines.builtIn("interview")
        video.decode.durationSeconds = 3
        let photo = try TestPipelines.builtIn("photos")

        // By default: no embeddings anywhere in the output, not even a hidden file left behind.
        let plain = try analyse([photos.path, TestMedia.pexels], video: video, photo: photo, into: root, "plain")
        for folder in ["event", Self.clipFolder] {
            let names = try FileManager.default.contentsOfDirectory(atPath: plain.appendingPathComponent(folder).path)
            XCTAssertFalse(names.contains { $0.contains("embedding") }, "\(folder): \(names)")
        }

        var videoWithEmbeddings = video
        videoWithEmbeddings.outputs.formats.append(.faceEmbeddings)
        var photoWithEmbeddings = photo
        photoWithEmbeddings.outputs.formats.append(.faceEmbeddings)
        let kept = try analyse(
            [photos.path, TestMedia.pexels], video: videoWithEmbeddings, photo: photoWithEmbeddings, into: root, "kept")

        // The photo set: a line per face found, its person as frames.csv gives it.
        let set = kept.appendingPathComponent("event")
        let (header, lines) = try Self.lines(set.appendingPathComponent("face_embeddings.jsonl"))
        XCTAssertEqual(header["biometric_data"] as? Bool, true)
        let attributes = try FileManager.default.attributesOfItem(
            atPath: set.appendingPathComponent("face_embeddings.jsonl").path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600, "for its owner's eyes only")
        XCTAssertEqual(header["embedder"] as? String, "dlib_resnet")
        XCTAssertEqual(header["length"] as? Int, 128)
        XCTAssertEqual(header["same_person_distance"] as? Double, photo.persons.samePersonDistance)
        let rows = try Self.table(set.appendingPathComponent("frames.csv")).filter { $0["face_found"] == "1" }
        XCTAssertEqual(lines.count, rows.count, "every face of the set was embedded")
        for line in lines {
            let file = try XCTUnwrap(line["file"] as? String)
            let face = try XCTUnwrap(line["face"] as? Int)
            let row = try XCTUnwrap(
                rows.first { $0["file"] == file && $0["face"] == "\(face)" }, "\(file) face \(face)")
            XCTAssertEqual("\(line["person"]!)", row["person"])
            let vector = try XCTUnwrap(line["embedding"] as? [Double])
            XCTAssertEqual(vector.count, 128)
            // dlib's descriptors are not unit vectors, but are never near zero.
            XCTAssertGreaterThan(vector.reduce(0) { $0 + $1 * $1 }.squareRoot(), 0.1)
        }
        // The same faces as without the file: writing it changes nothing else.
        XCTAssertEqual(
            try String(contentsOf: set.appendingPathComponent("frames.csv"), encoding: .utf8),
            try String(contentsOf: plain.appendingPathComponent("event/frames.csv"), encoding: .utf8))

        // The video: a line per embedded track, with its span and its person as tracks.json gives it.
        let clip = kept.appendingPathComponent(Self.clipFolder)
        let (_, trackLines) = try Self.lines(clip.appendingPathComponent("face_embeddings.jsonl"))
        let tracks =
            try XCTUnwrap(
                try JSONSerialization.jsonObject(with: Data(contentsOf: clip.appendingPathComponent("tracks.json")))
                    as? [String: Any])["tracks"] as? [[String: Any]]
        XCTAssertFalse(trackLines.isEmpty)
        for line in trackLines {
            let id = try XCTUnwrap(line["track"] as? Int)
            let track = try XCTUnwrap(tracks?.first { $0["id"] as? Int == id }, "track \(id)")
            XCTAssertEqual(line["person"] as? Int, track["person"] as? Int)
            XCTAssertLessThanOrEqual(try XCTUnwrap(line["first_time_s"] as? Double), 3)
            XCTAssertEqual((line["embedding"] as? [Double])?.count, 128)
        }
        let manifest = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: clip.appendingPathComponent("run.json")))
                as? [String: Any])
        XCTAssertTrue((manifest["outputs"] as? [String] ?? []).contains("face_embeddings.jsonl"), "\(manifest)")
    }

    func testAskingForEmbeddingsWithPersonsOffIsRefused() throws {
        var pipeline = try TestPipelines.builtIn("interview")
        pipeline.persons.enabled = false
        pipeline.outputs.formats.append(.faceEmbeddings)
        XCTAssertThrowsError(try pipeline.validate(source: "test.json")) { error in
            XCTAssertTrue("\(error)".contains("persons are off"), "\(error)")
        }
    }

    /// The video's folder, named for its range (its first three seconds).
    private static let clipFolder = "WolfgangLanger_Pexels.0s-3s"

    private func analyse(
        _ paths: [String], video: PipelineDefinition, photo: PipelineDefinition, into root: URL, _ name: String
    ) throws -> URL {
        let output = root.appendingPathComponent(name)
        let batch = BatchAnalysis(
            videoPipeline: video, photoPipeline: photo, models: try ModelStore(folder: TestMedia.weights),
            outputDirectory: output.path)
        XCTAssertTrue(try batch.run(paths: paths, reporter: SilentReporter()).succeeded)
        return output
    }

    /// The file's first line (what it is) and the others, parsed.
    private static func lines(_ url: URL) throws -> (header: [String: Any], lines: [[String: Any]]) {
        let objects = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let header = try XCTUnwrap(objects.first)
        return (header, Array(objects.dropFirst()))
    }

    private static func table(_ url: URL) throws -> [[String: String]] {
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }
}
