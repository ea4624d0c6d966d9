import Foundation
@testable import MoodlineCore
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// Analysers shared between inputs and batches (a server's jobs): loaded once, failures kept, results unchanged.
final class SharedAnalyzerTests: XCTestCase {
    override func setUp() {
        BLAS.setThreads(1)
    }

    func testAFailureToLoadIsKeptForEveryLaterCaller() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let weights = base.appendingPathComponent("mine.safetensors").path
        var definition = try TestPipelines.builtIn("interview")
        definition.classifier.weightsFile = weights
        let models = try ModelStore(folder: TestMedia.weights)
        let shared = SharedFrameAnalyzer(definition: definition, models: models)
        XCTAssertThrowsError(try shared.get())
        // The file appears afterwards: the shared analyser does not load again, a new one does.
        try FileManager.default.copyItem(atPath: TestMedia.weights + "/emotion_moodline.safetensors", toPath: weights)
        XCTAssertThrowsError(try shared.get(), "the first failure is kept")
        XCTAssertNoThrow(try SharedFrameAnalyzer(definition: definition, models: models).get())
    }

    func testOnePipelineForVideosAndPhotosSharesOneAnalyser() throws {
        let models = try ModelStore(folder: TestMedia.weights)
        let same = PipelineAnalyzers(
            videoPipeline: try TestPipelines.builtIn("interview"),
            photoPipeline: try TestPipelines.builtIn("interview"), models: models)
        XCTAssertTrue(same.video === same.photos)
        let different = PipelineAnalyzers(
            videoPipeline: try TestPipelines.builtIn("interview"), photoPipeline: try TestPipelines.builtIn("photos"),
            models: models)
        XCTAssertFalse(different.video === different.photos)
        XCTAssertEqual(different.photos.definition, try TestPipelines.builtIn("photos"))
    }

    /// Only what groups persons loads the face embedder: videos with tracking, photo sets unsharded or writing their
    /// embeddings. A video run without tracking, or a shard's photos otherwise, cut no chips and list no embedder in
    /// run.json.
    func testOnlyAnalysersThatGroupPersonsEmbedFaces() throws {
        let models = try ModelStore(folder: TestMedia.weights)
        let interview = try TestPipelines.builtIn("interview"), photos = try TestPipelines.builtIn("photos")
        var untracked = interview
        untracked.tracking.enabled = false
        let plain = PipelineAnalyzers(videoPipeline: interview, photoPipeline: photos, models: models)
        XCTAssertTrue(plain.video.embedsFaces && plain.photos.embedsFaces)
        XCTAssertNotNil(try plain.photos.get().embedder)
        let sharded = PipelineAnalyzers(videoPipeline: untracked, photoPipeline: photos, models: models, sharded: true)
        XCTAssertFalse(sharded.video.embedsFaces || sharded.photos.embedsFaces)
        XCTAssertNil(try sharded.video.get().embedder)
        XCTAssertNil(try sharded.photos.get().embedder)
        // A shard that writes its embeddings, for merge to group the whole set, embeds its photos' faces.
        var written = photos
        written.outputs.formats.append(.faceEmbeddings)
        XCTAssertTrue(
            PipelineAnalyzers(videoPipeline: untracked, photoPipeline: written, models: models, sharded: true).photos
                .embedsFaces)
        // One pipeline for both: it embeds for the photos' sake even without tracking.
        XCTAssertTrue(
            PipelineAnalyzers(videoPipeline: untracked, photoPipeline: untracked, models: models).video.embedsFaces)

        let output = try TestMedia.temporaryFolder(for: self)
        let batch = BatchAnalysis(
            videoPipeline: untracked, photoPipeline: photos, models: models, outputDirectory: output.path)
        let clip = try TestMedia.temporaryFolder(for: self).appendingPathComponent("clip.mp4").path
        try TestProcess.ffmpeg(["-i", TestMedia.pexels, "-t", "1", "-an", "-c:v", "libx264", clip])
        XCTAssertTrue(try batch.run(paths: [clip], reporter: SilentReporter()).succeeded)
        let manifest = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: output.appendingPathComponent("clip/run.json")))
                as? [String: Any])
        let names = (manifest["models"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        XCTAssertFalse(names.isEmpty)
        XCTAssertFalse(names.contains { $0.contains("dlib") || $0.contains("embed") }, "\(names)")
    }

    func testBatchesSharingAnalysersWriteWhatABatchWithItsOwnWrites() throws {
        let base = try TestMedia.temporaryFolder(for: self)
        let models = try ModelStore(folder: TestMedia.weights)
        let video = try TestPipelines.builtIn("interview"), photos = try TestPipelines.builtIn("photos")
        let shared = PipelineAnalyzers(videoPipeline: video, photoPipeline: photos, models: models)
        var tables: [Data] = []
        for (i, analyzers) in [nil, shared, shared].enumerated() {
            let output = base.appendingPathComponent("out\(i)")
            let outcome = try BatchAnalysis(
                videoPipeline: video, photoPipeline: photos, models: models, outputDirectory: output.path,
                analyzers: analyzers
            ).run(paths: [TestMedia.multiFace], reporter: SilentReporter())
            XCTAssertTrue(outcome.succeeded)
            XCTAssertEqual(outcome.results.first?.outcome.faces, 5)
            tables.append(
                try XCTUnwrap(
                    FileManager.default.contents(atPath: output.appendingPathComponent("multi_face/frames.csv").path)))
        }
        XCTAssertEqual(tables[1], tables[0])
        XCTAssertEqual(tables[2], tables[0])
    }
}
