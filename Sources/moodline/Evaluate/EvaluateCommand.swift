import ArgumentParser
import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineNN

/// `moodline evaluate DIR`: emotion classifiers' accuracy on a labelled class-folder set, on the data set's own
/// crops or end to end (detect, align, classify) as `analyze` reads faces.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure emotion classifiers on a labelled folder of pictures.",
        discussion: """
            DIR holds one folder per emotion (angry, disgust, fear, happy, sad, surprise, neutral). By default each \
            picture is taken as a face crop and resized to the classifier's input, as face data sets are made. With \
            --end-to-end each picture goes through the pipeline's detector and aligner first (--pipeline, photos by \
            default), as in `analyze`: the largest face is read, and a picture with no face found is read whole \
            (counted apart).

            For each classifier: accuracy, macro-F1, per-class recall and F1, the confusion matrix and the expected \
            calibration error (ECE, 15 bins) of its probabilities. --json prints the same as one JSON object.

            End to end, the faces found also go through the pipeline's quality gate, to check its settings \
            against the labels: for each reason (small, blurred, turned, tilted, low_confidence, ambiguous) how many \
            readings it marks uncertain and how often those and the rest are right, and how often readings are right \
            at each top probability, with the probability from which they are right at least half the time (a fit \
            for quality.min_confidence).

            With --votes FILE the truth is human votes instead of the folders' labels: a CSV with a `path` column \
            (matched to each picture's path below DIR, or ending with it) and one count column per class, in FER+'s \
            layout (neutral, happiness, surprise, sadness, anger, disgust, fear, contempt, unknown, NF) or named by \
            emotion. Pictures are scored against the majority (single votes dropped, then more than half of the \
            rest; pictures without a seven-class majority are left out and counted), and the readings against the \
            whole vote distribution: cross-entropy (and the votes' own entropy, its floor) and how often the top \
            class is one an annotator chose. --exclude-copies leaves out rows marked copy_in_other_split. Pictures \
            the annotators split on (no majority, yet mostly emotion votes) are read too, to check the quality \
            gate's `ambiguous` reason: how many of the readings it marks (spread above --max-spread) humans split \
            on, and how many of the split pictures it marks.

            Examples:
              moodline evaluate ../shared/eval/fer2013/validation
              moodline evaluate ../shared/eval/fer2013/validation --end-to-end --model moodline --model mini_xception
              moodline evaluate photos/ --end-to-end --classifier-weights runs/mine/model.safetensors
              moodline evaluate ../shared/eval/fer2013/validation --votes ../shared/eval/fer2013/ferplus.csv --exclude-copies
            """
    )

    @Argument(help: "The labelled folder: DIR/<emotion>/*.jpg.")
    var folder: String

    @Option(
        name: .customLong("model"),
        help: "A shipped classifier to measure: \(ClassifierModel.choicesHelp). Repeat to compare.")
    var models: [ClassifierModel] = []

    @Option(help: "Also measure a classifier trained with Weights/training/train.py (its model.safetensors).")
    var classifierWeights: String?

    @Flag(help: "Detect and align each face as `analyze` does, instead of resizing the whole picture.")
    var endToEnd = false

    @Flag(help: "Also read each face mirrored and average (as the pipeline setting classifier.flip_average).")
    var flipAverage = false

    @Option(help: "With --end-to-end, the detector: \(DetectorModel.choicesHelp). Default: the pipeline's.")
    var detector: DetectorModel?

    @Option(
        help: ArgumentHelp(
            "The pipeline whose detector, crop and quality gate are used: a built-in name or a pipeline file (to check other gate settings).",
            valueName: "file-or-name"))
    var pipeline = "photos"

    @Option(
        help:
            "Score against human votes: a CSV with a path column and one count column per class (FER+'s layout or the emotion names)."
    )
    var votes: String?

    @Flag(help: "With --votes, leave out pictures the table marks copy_in_other_split.")
    var excludeCopies = false

    @Option(help: "With --votes, the spread above which readings are marked ambiguous. Default: the pipeline's.")
    var maxSpread: Double?

    @Flag(help: "Print the reports as JSON.")
    var json = false

    @OptionGroup var modelWeights: WeightsOptions

    @Option(help: "Faces per classifier batch.")
    var batchSize = 64

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1.") }
        if excludeCopies && votes == nil { throw ValidationError("--exclude-copies needs --votes FILE.") }
        if let maxSpread, !(0...1).contains(maxSpread) { throw ValidationError("--max-spread must be within 0-1.") }
    }

    /// One classifier's results.
    struct Measurement {
        let name: String
        let report: ClassificationReport
        let ece: Double
        /// Accuracy on the pictures where a face was found (end to end only).
        let foundAccuracy: Double?
        /// Agreement with the whole vote distribution (with --votes).
        let agreement: VoteAgreement?
        /// How the gate's `ambiguous` reason finds the pictures humans split on (with --votes).
        let ambiguity: AmbiguityCheck?
        /// How the quality gate sorts the readings of faces found (end to end only).
        let gate: GateAudit?
    }

    func run() throws {
        BLAS.setThreads(1)
        let set = try LabelledImageSet(folder: folder)
        let selection = try VoteSelection(
            items: set.items, folder: folder, votesFile: votes, excludeCopies: excludeCopies)
        let store = try modelWeights.store()
        var chosen: [(String, ClassifierSettings)] = (models.isEmpty && classifierWeights == nil ? [.moodline] : models)
            .map {
                ($0.rawValue, ClassifierSettings(model: $0, flipAverage: flipAverage))
            }
        if let classifierWeights {
            chosen.append(
                (classifierWeights, ClassifierSettings(weightsFile: classifierWeights, flipAverage: flipAverage)))
        }
        var definition = try PipelineOptions.load(pipeline)
        if let detector { definition.detector.model = detector }
        if let maxSpread { definition.quality.maximumSpread = maxSpread }
        let faceDetector = endToEnd ? try store.faceDetector(definition.detector) : nil

        // Pictures are decoded again for each classifier rather than held: a folder of large photos would not fit
        // in memory. A picture that cannot be read is reported once.
        var unreadable: [String] = []
        var truth: [Int] = []
        var measurements: [Measurement] = []
        var facesFound: Int?
        for (index, (name, settings)) in chosen.enumerated() {
            let classifier = try store.emotionClassifier(settings)
            let size = classifier.inputSize
            var geometry = definition.crop
            geometry.sizePixels = size
            let cropper = faceDetector.map {
                MainFaceCropper(
                    detector: $0, aligner: FaceAligner(geometry: geometry),
                    minimumFaceSizePixels: definition.detector.minimumFaceSizePixels)
            }
            var truths: [Int?] = [], found: [Bool] = [], scores: [EmotionScores] = []
            var itemVotes: [VoteTable.Votes?] = []
            var pending: [PixelBuffer] = [], pendingFaces: [DetectedFace?] = []
            // The gate's verdict on each face found (nil: read whole), as `analyze` would give it.
            var verdicts: [FaceQuality?] = []
            func classifyPending() throws {
                let batch = try classifier.classify(pending)
                for (crop, (face, reading)) in zip(pending, zip(pendingFaces, batch)) {
                    verdicts.append(
                        face.map {
                            FaceQuality(face: $0, crop: crop, scores: reading, settings: definition.quality)
                        })
                }
                scores += batch
                pending = []
                pendingFaces = []
            }
            for (item, truthLabel, pictureVotes) in selection.measured {
                do {
                    var picture: PixelBuffer?
                    _ = try MediaReader(path: item.path).decodeFrames(select: { $0.index == 0 }) { picture = $0.pixels }
                    guard let picture else { throw EvaluationError(message: "no picture decoded") }
                    if let cropper {
                        let cut = try cropper.cut(picture)
                        pending.append(cut.crop)
                        pendingFaces.append(cut.face)
                        found.append(cut.face != nil)
                    } else {
                        pending.append(BilinearSampler.resize(picture.greyscale(), width: size, height: size))
                        pendingFaces.append(nil)
                        found.append(true)
                    }
                    truths.append(truthLabel?.index)
                    itemVotes.append(pictureVotes)
                    if pending.count == batchSize { try classifyPending() }
                } catch {
                    if index == 0 { unreadable.append("\(item.path): \(error)") }
                }
            }
            try classifyPending()
            let ambiguity =
                votes == nil
                ? nil
                : AmbiguityCheck(
                    spreads: scores.map(\.spread), split: itemVotes.map { $0?.isSplit ?? false },
                    threshold: definition.quality.maximumSpread)
            // The rest is measured on the pictures with a truth (split ones have none).
            let kept = truths.indices.filter { truths[$0] != nil }
            let labels = kept.compactMap { truths[$0] }
            found = kept.map { found[$0] }
            scores = kept.map { scores[$0] }
            let keptVerdicts = kept.map { verdicts[$0] }
            let keptVotes = kept.compactMap { itemVotes[$0] }
            truth = labels
            if cropper != nil { facesFound = found.filter { $0 }.count }
            let predicted = scores.map { $0.label.index }
            let correct = zip(labels, predicted).map { $0 == $1 }
            let ece = CalibrationError.expected(confidences: scores.map { Double($0.confidence) }, correct: correct)
            let foundRight = zip(found, correct).filter { $0.0 && $0.1 }.count
            measurements.append(
                Measurement(
                    name: name,
                    report: ClassificationReport(
                        labels: Emotion.allCases.map(\.rawValue), truth: labels, predicted: predicted),
                    ece: ece,
                    foundAccuracy: endToEnd ? Double(foundRight) / Double(max(1, found.filter { $0 }.count)) : nil,
                    agreement: votes == nil
                        ? nil
                        : VoteAgreement(
                            probabilities: scores.map { $0.probabilities.map(Double.init) }, votes: keptVotes),
                    ambiguity: ambiguity,
                    gate: cropper == nil ? nil : gateAudit(verdicts: keptVerdicts, scores: scores, correct: correct)))
        }
        if json {
            print(
                try jsonText(
                    measurements, facesFound: facesFound, pictures: truth.count, unreadable: unreadable,
                    selection: selection))
        } else {
            var lines = [
                "\(truth.count) pictures in \(folder), "
                    + (endToEnd
                        ? "end to end (\(definition.detector.model.rawValue) detector): a face found in \(facesFound ?? 0) (\(percent(Double(facesFound ?? 0) / Double(max(1, truth.count))))), the rest read whole"
                        : "each read whole as a face crop") + (flipAverage ? ", flip-averaged" : "")
            ]
            if let votes { lines.append(selection.summary(votesFile: votes)) }
            for measurement in measurements { lines += ["", text(measurement, quality: definition.quality)] }
            print(lines.joined(separator: "\n"))
            for problem in unreadable { FileHandle.standardError.write(Data("skipped: \(problem)\n".utf8)) }
        }
    }

    /// The gate's audit over the faces found (pictures read whole have no face to judge).
    private func gateAudit(verdicts: [FaceQuality?], scores: [EmotionScores], correct: [Bool]) -> GateAudit {
        let judged = verdicts.indices.filter { verdicts[$0] != nil }
        return GateAudit(
            reasons: judged.map { verdicts[$0]?.reasons ?? [] }, correct: judged.map { correct[$0] },
            confidences: judged.map { Double(scores[$0].confidence) })
    }

    private func percent(_ value: Double) -> String { String(format: "%.2f%%", 100 * value) }

    private func text(_ m: Measurement, quality: QualitySettings) -> String {
        let report = m.report
        var lines = [
            "classifier \(m.name)",
            "accuracy \(percent(report.accuracy))   macro-F1 \(String(format: "%.4f", report.macroF1))   ECE \(String(format: "%.4f", m.ece))"
                + (m.foundAccuracy.map { "   accuracy where a face was found \(percent($0))" } ?? ""),
        ]
        if let a = m.agreement {
            lines.append(
                String(
                    format:
                        "against the votes: cross-entropy %.4f (the votes' own entropy %.4f), top class voted for by someone %@",
                    a.crossEntropy, a.voteEntropy, percent(a.topClassVotedFor)))
        }
        if let a = m.ambiguity {
            lines.append(
                String(
                    format:
                        "ambiguous (spread above %.2f): %d of %d readings marked (%@); precision %@ (humans split on %@ of all), recall %@ of %d split",
                    a.threshold, a.marked, a.count, percent(a.markedShare), a.precision.map(percent) ?? "-",
                    percent(a.baseRate), a.recall.map(percent) ?? "-", a.split))
        }
        if let gate = m.gate { lines += gateText(gate, quality: quality) }
        lines += ["", "class      items    recall      F1"]
        for (i, label) in report.labels.enumerated() {
            let count = report.confusion[i].reduce(0, +)
            lines.append(
                label.padding(toLength: 9, withPad: " ", startingAt: 0)
                    + String(
                        format: " %6d  %7.2f%%  %6.4f", count, 100 * report.perClassAccuracy[i], report.perClassF1[i]))
        }
        lines += [
            "", "confusion (rows: truth, columns: predicted)",
            "         " + report.labels.map { String($0.prefix(7)).leftPadded(8) }.joined(),
        ]
        for (i, label) in report.labels.enumerated() {
            lines.append(
                label.padding(toLength: 9, withPad: " ", startingAt: 0)
                    + report.confusion[i].map { String($0).leftPadded(8) }.joined())
        }
        return lines.joined(separator: "\n")
    }

    private func gateText(_ gate: GateAudit, quality: QualitySettings) -> [String] {
        var lines = [
            "", "quality gate on the faces found (a reason's marked readings against the rest)",
            "reason           marked   right    kept   right",
        ]
        for row in gate.rows {
            lines.append(
                row.reason.padding(toLength: 15, withPad: " ", startingAt: 0) + String(row.marked).leftPadded(7)
                    + (row.markedAccuracy.map(percent) ?? "-").leftPadded(8) + String(row.kept).leftPadded(8)
                    + (row.keptAccuracy.map(percent) ?? "-").leftPadded(8))
        }
        lines += ["", "top probability   readings   right"]
        for band in gate.bands where band.count > 0 {
            lines.append(
                String(format: "%.1f-%.1f", band.lower, band.lower + GateAudit.bandWidth).leftPadded(15)
                    + String(band.count).leftPadded(11) + (band.accuracy.map(percent) ?? "-").leftPadded(8))
        }
        let fit: String
        if let from = gate.confidenceWhereMostlyRight() {
            fit = "readings are right at least half the time from a top probability of " + String(format: "%.1f", from)
        } else if gate.bands.allSatisfy({ $0.count < GateAudit.minimumBandReadings }) {
            fit =
                "too few readings in every band (\(GateAudit.minimumBandReadings) needed) to say from what top probability readings are mostly right"
        } else {
            fit = "readings are right less than half the time even at the highest top probability measured"
        }
        lines.append(fit + String(format: " (min_confidence is %.2f)", quality.minimumConfidence))
        return lines
    }

    private func jsonText(
        _ measurements: [Measurement], facesFound: Int?, pictures: Int, unreadable: [String],
        selection: VoteSelection
    ) throws -> String {
        var object: [String: Any] = [
            "folder": folder, "pictures": pictures, "end_to_end": endToEnd, "flip_average": flipAverage,
            "skipped": unreadable,
            "classifiers": measurements.map { m -> [String: Any] in
                var entry: [String: Any] = [
                    "classifier": m.name, "accuracy": m.report.accuracy, "macro_f1": m.report.macroF1, "ece": m.ece,
                    "labels": m.report.labels, "confusion": m.report.confusion,
                    "per_class_recall": Dictionary(
                        uniqueKeysWithValues: zip(m.report.labels, m.report.perClassAccuracy)),
                    "per_class_f1": Dictionary(uniqueKeysWithValues: zip(m.report.labels, m.report.perClassF1)),
                ]
                if let found = m.foundAccuracy { entry["accuracy_where_face_found"] = found }
                if let a = m.agreement {
                    entry["votes"] = [
                        "cross_entropy": a.crossEntropy, "vote_entropy": a.voteEntropy,
                        "top_class_voted_for": a.topClassVotedFor, "pictures": a.count,
                    ]
                }
                if let a = m.ambiguity {
                    var check: [String: Any] = [
                        "max_spread": a.threshold, "marked": a.marked, "marked_split": a.markedSplit,
                        "split": a.split, "pictures": a.count,
                    ]
                    check["precision"] = a.precision
                    check["recall"] = a.recall
                    entry["ambiguous"] = check
                }
                if let gate = m.gate {
                    var audit: [String: Any] = [
                        "reasons": gate.rows.map {
                            [
                                "reason": $0.reason, "marked": $0.marked, "marked_right": $0.markedRight,
                                "kept": $0.kept, "kept_right": $0.keptRight,
                            ]
                        },
                        "confidence_bands": gate.bands.map {
                            ["lower": $0.lower, "readings": $0.count, "right": $0.right]
                        },
                    ]
                    audit["mostly_right_from_confidence"] = gate.confidenceWhereMostlyRight()
                    entry["quality_gate"] = audit
                }
                return entry
            },
        ]
        if let facesFound { object["faces_found"] = facesFound }
        if let votes {
            object["votes"] = [
                "file": votes, "exclude_copies": excludeCopies, "without_votes": selection.withoutVotes,
                "without_majority": selection.withoutMajority, "copies_left_out": selection.copiesLeftOut,
            ]
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

extension ClassifierModel: ExpressibleByArgument {}

extension String {
    func leftPadded(_ width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
