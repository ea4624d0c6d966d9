import ArgumentParser
import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineNN

/// `moodline evaluate DIR`: the emotion classifier's accuracy on a labelled class-folder set of face crops.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure the emotion classifier on a labelled folder of face crops.",
        discussion: """
        DIR holds one folder per emotion (angry, disgust, fear, happy, sad, surprise, neutral), each with \
        images that are already face crops (no detection is run): each is read as grey and resized to the \
        classifier's 64x64 input. Prints overall accuracy, per-class accuracy and F1, macro-F1 and the confusion \
        matrix; --json prints the same as one JSON object.

        Example:
          moodline evaluate ../shared/eval/fer2013/validation
        """
    )

    @Argument(help: "The labelled folder: DIR/<emotion>/*.jpg.")
    var folder: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Option(help: "Folder with the converted weights and MANIFEST.json (default: found automatically).")
    var weights: String?

    @Option(help: "Faces per classifier batch.")
    var batchSize = 64

    @Flag(help: "Detect each face and align it by the eyes, as `analyze` does, instead of resizing the whole crop.")
    var align = false

    @Option(help: "With --align: eye distance as a fraction of the crop side.")
    var eyeDistance = CropGeometry.standard.eyeDistance

    @Option(help: "With --align: height of the eye line as a fraction of the crop side.")
    var eyeY = CropGeometry.standard.eyeLineY

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1.") }
    }

    func run() throws {
        BLAS.setThreads(1)
        let set = try LabelledImageSet(folder: folder)
        let store = try ModelStore(folder: weights)
        let classifier = try store.emotionClassifier()
        let aligner = align ? try FaceAlignmentForEvaluation(store: store, geometry: CropGeometry(sizePixels: 64, eyeDistance: eyeDistance, eyeLineY: eyeY)) : nil
        var truth: [Int] = [], predicted: [Int] = []
        var unreadable: [String] = []
        for start in stride(from: 0, to: set.items.count, by: batchSize) {
            let batch = set.items[start..<min(start + batchSize, set.items.count)]
            var crops: [PixelBuffer] = []
            var labels: [Int] = []
            for item in batch {
                do {
                    var grey: PixelBuffer?
                    _ = try MediaReader(path: item.path, options: DecoderOptions(layout: .grey)).decodeFrames { grey = $0.pixels }
                    guard let grey else { unreadable.append(item.path); continue }
                    crops.append(aligner?.crop(grey) ?? BilinearSampler.resize(grey, width: classifier.inputSize, height: classifier.inputSize))
                    labels.append(Emotion.allCases.firstIndex(of: item.emotion)!)
                } catch {
                    unreadable.append("\(error)")
                }
            }
            truth += labels
            predicted += try classifier.classify(crops).map { Emotion.allCases.firstIndex(of: $0.label)! }
        }
        let report = ClassificationReport(labels: Emotion.allCases.map(\.rawValue), truth: truth, predicted: predicted)
        if let aligner { FileHandle.standardError.write(Data((aligner.summary + "\n").utf8)) }
        if json {
            print(try jsonText(report, unreadable: unreadable))
        } else {
            print(text(report))
            for problem in unreadable { FileHandle.standardError.write(Data("skipped: \(problem)\n".utf8)) }
        }
    }

    private func text(_ report: ClassificationReport) -> String {
        var lines = ["\(report.total) faces in \(folder)",
                     String(format: "accuracy %.2f%%   macro-F1 %.4f", 100 * report.accuracy, report.macroF1), "",
                     "class      items  accuracy      F1"]
        for (i, label) in report.labels.enumerated() {
            let count = report.confusion[i].reduce(0, +)
            lines.append(label.padding(toLength: 9, withPad: " ", startingAt: 0)
                + String(format: " %6d  %7.2f%%  %6.4f", count, 100 * report.perClassAccuracy[i], report.perClassF1[i]))
        }
        lines += ["", "confusion (rows: truth, columns: predicted)",
                  "         " + report.labels.map { String($0.prefix(7)).leftPadded(8) }.joined()]
        for (i, label) in report.labels.enumerated() {
            lines.append(label.padding(toLength: 9, withPad: " ", startingAt: 0) + report.confusion[i].map { String($0).leftPadded(8) }.joined())
        }
        return lines.joined(separator: "\n")
    }

    private func jsonText(_ report: ClassificationReport, unreadable: [String]) throws -> String {
        let object: [String: Any] = [
            "folder": folder, "faces": report.total, "accuracy": report.accuracy, "macro_f1": report.macroF1,
            "labels": report.labels, "confusion": report.confusion,
            "per_class_accuracy": Dictionary(uniqueKeysWithValues: zip(report.labels, report.perClassAccuracy)),
            "per_class_f1": Dictionary(uniqueKeysWithValues: zip(report.labels, report.perClassF1)),
            "skipped": unreadable,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
