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
