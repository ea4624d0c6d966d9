import ArgumentParser
import Foundation
import MoodlineCore
import MoodlineMedia
import MoodlineNN

/// `moodline evaluate-persons DIR`: how well the face embedder tells people apart on photos of known identity, the
/// threshold that does it best, and how well the grouping into persons agrees with the identities.
struct EvaluatePersonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate-persons",
        abstract: "Measure how well faces are grouped into persons, on a labelled folder of photos.",
        discussion: """
            DIR holds one folder per person (any names), each with photos of that person. In each photo the largest \
            face is found with the photos pipeline's detector and embedded as `analyze` does (the embedder's chip cut \
            on the detector's keypoints); a photo without a face is counted and left out.

            Prints the embedding distances of every pair of faces of one person and of two people, and for \
            thresholds from 0.40 to 0.80 the share of same-person pairs judged one person and of different-person \
            pairs judged apart, with the best; then the photos grouped into persons as `analyze` groups tracks, at \
            --same-person-distance (0.6, the pipelines' setting), with pairwise precision, recall and F1 against \
            the folders.

            Example:
              moodline evaluate-persons labelled-people/
              moodline evaluate-persons labelled-people/ --same-person-distance 0.55
            """
    )

    @Argument(help: "The labelled folder: DIR/<person>/*.jpg.")
    var folder: String

    @Option(help: "The distance below which two faces are grouped as one person, as analyze's --same-person-distance.")
    var samePersonDistance = PersonSettings().samePersonDistance

    @OptionGroup var modelWeights: WeightsOptions

    func validate() throws {
        guard samePersonDistance.isFinite, samePersonDistance > 0 else {
            throw ValidationError("--same-person-distance must be a positive number.")
        }
    }

    func run() throws {
        BLAS.setThreads(1)
        let photos = try LabelledPersonSet(folder: folder).items
        let store = try modelWeights.store()
        guard let pipelineText = BuiltInPipelines.all["photos"] else {
            throw EvaluationError(message: "no photos pipeline")
        }
        let pipeline = try PipelineFile.parse(Data(pipelineText.utf8), source: "photos")
        let detector = try store.faceDetector(pipeline.detector)
        let embedder = try store.faceEmbedder()
        let cutter = FaceChipCutter(size: embedder.chipSize)
        var embeddings: [[Float]] = [], identities: [String] = [], missing: [String] = []
        for photo in photos {
            var picture: PixelBuffer?
            _ = try? MediaReader(path: photo.path).decodeFrames(select: { $0.index == 0 }) { picture = $0.pixels }
            // Analysed at most as large as the photos pipeline analyses them.
            guard let full = picture else {
                missing.append(photo.path)
                continue
            }
            let side = pipeline.decode.maximumSidePixels
            let scaled = side > 0 ? full.shrunk(toFit: side) : full
            let faces = try detector.detect(in: scaled)
            guard let face = faces.max(by: { $0.box.area < $1.box.area }) else {
                missing.append(photo.path)
                continue
            }
            embeddings.append(embedder.embed(chip: cutter.chip(from: scaled, face: face).pixels))
            identities.append(photo.identity)
        }
        let people = Set(identities).count
        print("\(photos.count) photos of \(Set(photos.map(\.identity)).count) people; a face in \(embeddings.count)")
        for path in missing.prefix(10) { print("  no face: \(path)") }
        if missing.count > 10 { print("  and \(missing.count - 10) more without a face") }
        guard embeddings.count >= 2, people >= 2 else {
            throw EvaluationError(message: "\(folder): need faces of at least two people")
        }
        let pairs = DistanceThresholds(embeddings: embeddings, identities: identities)
        func describe(_ values: [Double]) -> String {
            let q = { (p: Double) in DistanceThresholds.quantile(values, p).map { String(format: "%.3f", $0) } ?? "-" }
            return "\(values.count) pairs: min \(q(0)), 5% \(q(0.05)), median \(q(0.5)), 95% \(q(0.95)), max \(q(1))"
        }
        print("one person:  \(describe(pairs.same))")
        print("two people:  \(describe(pairs.different))")
        print("threshold  same judged one  different judged apart  accuracy")
        let candidates = stride(from: 0.40, through: 0.801, by: 0.05).map { ($0 * 100).rounded() / 100 }
        for row in candidates.map(pairs.row(at:)) {
            print(
                String(
                    format: "%9.2f  %15.1f%%  %22.1f%%  %7.1f%%", row.threshold, 100 * row.sameAccepted,
                    100 * row.differentRejected, 100 * row.accuracy))
        }
        if let best = pairs.best(among: candidates) {
            print(String(format: "best balanced threshold: %.2f", best.threshold))
        }
        // Each photo a point in time of its own, so no two photos' faces are kept apart for overlapping.
        let segments = embeddings.enumerated().map {
            FaceSegment(id: $0.offset, span: Double($0.offset)...Double($0.offset), embedding: $0.element)
        }
        let groups = PersonClustering(threshold: Float(samePersonDistance)).persons(of: segments)
        let agreement = PairwiseAgreement(groups: groups, identities: identities)
        print(
            String(
                format: "grouped at %.2f: %d persons for %d people; pairwise precision %.3f, recall %.3f, F1 %.3f",
                samePersonDistance, Set(groups).count, people, agreement.precision, agreement.recall, agreement.f1))
    }
}
