import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineNN
import MoodlineTestSupport
import XCTest

/// Moodline's own classifiers (trained on FER2013's labels, and on FER+'s votes) in Swift against PyTorch in
/// float64 (Weights/training/make_reference.py), on 32 aligned PublicTest crops: logits, calibrated probabilities
/// and flip-averaged probabilities within 1e-4.
final class MoodlineClassifierGoldenTests: XCTestCase {
    struct Fixture: Decodable {
        let size: Int
        let count: Int
        let temperature: Double
        let labels: [Int]
        let logits: [[Double]]
        let probabilities: [[Double]]
        let flip_averaged_probabilities: [[Double]]
    }

    private func load(_ name: String) throws -> (Fixture, [PixelBuffer]) {
        let fixture = try TestMedia.json(Fixture.self, "MoodlineCoreTests", name + ".json")
        let bytes = [UInt8](try Data(contentsOf: TestMedia.golden("MoodlineCoreTests", name + ".u8")))
        let area = fixture.size * fixture.size
        XCTAssertEqual(bytes.count, fixture.count * area)
        let crops = (0..<fixture.count).map {
            PixelBuffer(
                width: fixture.size, height: fixture.size, layout: .grey,
                bytes: Array(bytes[($0 * area)..<(($0 + 1) * area)]))
        }
        return (fixture, crops)
    }

    func testLogitsAndCalibratedProbabilitiesMatchPyTorchWithin1e4() throws {
        try check(.moodline, against: "moodline_classifier")
    }

    func testTheVoteTrainedNetworkMatchesPyTorchWithin1e4() throws {
        try check(.moodlineFerPlus, against: "moodline_ferplus_classifier")
    }

    private func check(_ model: ClassifierModel, against name: String) throws {
        let (fixture, crops) = try load(name)
        let store = try ModelStore(folder: TestMedia.weights)
        let classifier = try store.emotionClassifier(ClassifierSettings(model: model))
        XCTAssertEqual(classifier.inputSize, fixture.size)
        XCTAssertEqual(classifier.temperature, fixture.temperature, accuracy: 1e-6)
        let logits = classifier.network.logits(crops)
        XCTAssertEqual(logits.shape, [fixture.count, 7])
        for i in 0..<fixture.count {
            for k in 0..<7 {
                XCTAssertEqual(Double(logits.data[i * 7 + k]), fixture.logits[i][k], accuracy: 1e-4, "crop \(i)")
            }
        }
        let scores = try classifier.classify(crops)
        for (i, score) in scores.enumerated() {
            for (got, want) in zip(score.probabilities, fixture.probabilities[i]) {
                XCTAssertEqual(Double(got), want, accuracy: 1e-4)
            }
        }
        // One crop alone reads as it does in a batch.
        for (single, inBatch) in zip(try classifier.classify([crops[5]])[0].probabilities, scores[5].probabilities) {
            XCTAssertEqual(single, inBatch, accuracy: 1e-5)
        }
        let flipped = try store.emotionClassifier(ClassifierSettings(model: model, flipAverage: true)).classify(crops)
        for (i, score) in flipped.enumerated() {
            for (got, want) in zip(score.probabilities, fixture.flip_averaged_probabilities[i]) {
                XCTAssertEqual(Double(got), want, accuracy: 1e-4)
            }
        }
        // A sanity bound, not a benchmark: a broken network would agree with FER2013's labels about 1 time in 7;
        // both read these crops far better (the vote-trained one agrees less with FER2013's noisy labels).
        let right = zip(scores, fixture.labels).filter { $0.0.label.index == $0.1 }.count
        XCTAssertGreaterThan(right, fixture.count / 3)
    }

    func testAFileThatDescribesNoRunnableNetworkIsRefusedByName() throws {
        let store = try ModelStore(folder: TestMedia.weights)
        let good = try store.manifest.open(ClassifierModel.moodline.entry.weights[0])
        var metadata = good.metadata
        metadata["widths"] = "[24, 48]"
        let tensors = try Dictionary(uniqueKeysWithValues: good.entries.keys.map { ($0, try good.tensor(named: $0)) })
        XCTAssertThrowsError(
            try EmotionVGG(
                weights: SafeTensorsFile(
                    bytes: SafeTensorsWriter.bytes(tensors, metadata: metadata), name: "bad.safetensors"))
        ) {
            XCTAssertTrue("\($0)".contains("bad.safetensors"), "\($0)")
        }
    }
}
