import ArgumentParser
import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineNN

/// `moodline benchmark models`: median latency of each model on one core.
struct ModelsBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Time each model per call on one core (OpenBLAS with 1 thread), and the classifier in batches.",
        discussion: """
            The detectors run on a frame of the sample video (letterboxing and decoding of boxes included); the \
            classifiers on crops of their input size, one at a time and in batches of 32, once plainly and once with \
            flip averaging; the face embedders on chips of their size, one at a time and in batches of 8, and the cutting of \
            a chip out of the frame. Medians of \
            --runs calls.

            Example:
              moodline benchmark models --runs 50
            """
    )

    @Option(help: "Calls per measurement; medians are reported.")
    var runs = 30

    @Option(help: "A video or image whose first frame the detectors run on.")
    var frame = "Samples/WolfgangLanger_Pexels.mp4"

    @OptionGroup var modelWeights: WeightsOptions

    @Option(help: "Also time a classifier trained with Weights/training/train.py (its model.safetensors).")
    var classifierWeights: String?

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1.") }
    }

    func run() throws {
        BLAS.setThreads(1)
        let store = try modelWeights.store()
        var first: PixelBuffer?
        _ = try MediaReader(path: frame).decodeFrames(select: { $0.index == 0 }) { first = $0.pixels }
        guard let pixels = first else { throw BenchmarkError(message: "\(frame): no frame decoded") }

        print("OpenBLAS: \(BLAS.configuration), threads: \(BLAS.threads)")
        print("frame: \(frame) (\(pixels.width)x\(pixels.height)), runs: \(runs)")
        print(tableRow(["model", "median ms", "per second"]))
        for model in DetectorModel.allCases {
            let detector = try store.faceDetector(DetectorSettings(model: model))
            _ = try detector.detect(in: pixels)
            let times = try (0..<runs).map { _ in try secondsTaken { _ = try detector.detect(in: pixels) } }
            print(
                tableRow([
                    "detector \(model.rawValue) (frame)", String(format: "%.2f", 1000 * median(times)),
                    String(format: "%.0f", 1 / median(times)),
                ]))
        }
        var choices = ClassifierModel.allCases.compactMap { model -> (String, ClassifierSettings)? in
            model.entry.weights.allSatisfy { store.manifest.models[$0] != nil }
                ? (model.rawValue, ClassifierSettings(model: model)) : nil
        }
        if let classifierWeights {
            choices.append(("trained file", ClassifierSettings(weightsFile: classifierWeights)))
        }
        for (name, settings) in choices {
            for flip in [false, true] {
                var chosen = settings
                chosen.flipAverage = flip
                let classifier = try store.emotionClassifier(chosen)
                let size = classifier.inputSize
                let label = "\(name) \(size)x\(size)\(flip ? " flip-averaged" : "")"
                let crop = BilinearSampler.resize(pixels.greyscale(), width: size, height: size)
                _ = try classifier.classify([crop])
                let single = try (0..<runs).map { _ in try secondsTaken { _ = try classifier.classify([crop]) } }
                print(
                    tableRow([
                        "\(label), 1 face", String(format: "%.3f", 1000 * median(single)),
                        String(format: "%.0f", 1 / median(single)),
                    ]))
                let batch = [PixelBuffer](repeating: crop, count: 32)
                let batched = try (0..<max(3, runs / 4)).map { _ in
                    try secondsTaken { _ = try classifier.classify(batch) }
                }
                print(
                    tableRow([
                        "\(label), batch of 32 (per face)", String(format: "%.3f", 1000 * median(batched) / 32),
                        String(format: "%.0f", 32 / median(batched)),
                    ]))
            }
        }
        for entry in ModelRegistry.embedders where entry.weights.allSatisfy({ store.manifest.models[$0] != nil }) {
            let embedder = try store.faceEmbedder(entry)
            let chip = BilinearSampler.resize(pixels, width: embedder.chipSize, height: embedder.chipSize)
            // Cutting the chip out of the frame, as the analysis does for every face while persons are on.
            let cutter = FaceChipCutter(size: embedder.chipSize)
            if let face = try store.faceDetector().detect(in: pixels).first {
                let cuts = (0..<runs).map { _ in secondsTaken { _ = cutter.chip(from: pixels, face: face) } }
                print(
                    tableRow([
                        "chip cut \(embedder.chipSize)x\(embedder.chipSize) from the frame",
                        String(format: "%.3f", 1000 * median(cuts)), String(format: "%.0f", 1 / median(cuts)),
                    ]))
            }
            _ = embedder.embed(chip: chip)
            let single = (0..<runs).map { _ in secondsTaken { _ = embedder.embed(chip: chip) } }
            print(
                tableRow([
                    "embedder \(entry.name) \(embedder.chipSize)x\(embedder.chipSize), 1 face",
                    String(format: "%.2f", 1000 * median(single)), String(format: "%.1f", 1 / median(single)),
                ]))
            let batch = [PixelBuffer](repeating: chip, count: 8)
            let batched = (0..<max(3, runs / 4)).map { _ in secondsTaken { _ = embedder.embed(chips: batch) } }
            print(
                tableRow([
                    "embedder \(entry.name), batch of 8 (per face)", String(format: "%.2f", 1000 * median(batched) / 8),
                    String(format: "%.1f", 8 / median(batched)),
                ]))
        }
    }
}
