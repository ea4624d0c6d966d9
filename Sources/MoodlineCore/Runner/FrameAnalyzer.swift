import Foundation
import MoodlineMedia

/// The per-frame work with no state: detect faces, align each by its eyes, classify the crops in one batch.
/// Immutable, so one analyser serves every worker.
public struct FrameAnalyzer: Sendable {
    public let detector: any FaceDetecting
    public let aligner: FaceAligner
    public let classifier: EmotionClassifier
    /// Faces smaller than this on their longer side, in source pixels, are dropped.
    public let minimumFaceSizePixels: Double
    /// When a reading is marked uncertain.
    public let quality: QualitySettings
    /// The longer side of the colour copy kept of each photo for the photo report (nil: none kept). Video frames
    /// never keep one.
    public var previewSide: Int?
    /// Faces embedded in one call for a photo (`moodline benchmark models`: 7.4 ms a face in eights, 9.1 alone).
    static let embeddingBatch = 4
    /// The face embedder the ordered stages check identities with, and the cutter of its chips (nil: persons off).
    public var embedder: (any FaceEmbedding)?
    var chipCutter: FaceChipCutter?
    /// The cheap detector known faces are found again with, and the settings, when a video's faces are followed
    /// rather than searched for in every frame (`DetectionScheme.follow`); nil: every frame is searched.
    public var following: (finder: any RegionFaceDetecting, settings: DetectorSettings, cuts: TrackSettings)?

    public init(
        detector: any FaceDetecting, aligner: FaceAligner, classifier: EmotionClassifier,
        minimumFaceSizePixels: Double = 0,
        quality: QualitySettings = QualitySettings()
    ) {
        self.detector = detector
        self.aligner = aligner
        self.classifier = classifier
        self.minimumFaceSizePixels = minimumFaceSizePixels
        self.quality = quality
    }

    /// The analyser a pipeline definition describes, with its models loaded from `models`. `embedsFaces`: whether
    /// it cuts face chips and loads the face embedder (by default wherever persons are on); a video pipeline without
    /// tracking, or a shard's photos, group no persons and need neither.
    ///
    /// - Throws: `WeightError` when a model's weights cannot be read.
    public init(definition: PipelineDefinition, models: ModelStore, embedsFaces: Bool? = nil) throws {
        let classifier = try models.emotionClassifier(definition.classifier)
        // A trained file brings its own input size; the crop follows it.
        var crop = definition.crop
        crop.sizePixels = classifier.inputSize
        self.init(
            detector: try models.faceDetector(definition.detector), aligner: FaceAligner(geometry: crop),
            classifier: classifier, minimumFaceSizePixels: definition.detector.minimumFaceSizePixels,
            quality: definition.quality)
        if definition.detector.followsFaces {
            following = (
                try models.blazeFace(FaceFollower.finderVariant, definition.detector), definition.detector,
                definition.tracking
            )
        }
        if definition.outputs.formats.contains(where: { $0.rawValue == "report" }) {
            previewSide = PhotoReportWriter.previewSide
        }
        // A video's persons are made of its tracks, a photo set's of its faces (the photos pipeline has no tracking).
        if embedsFaces ?? definition.persons.enabled {
            let embedder = try models.faceEmbedder()
            self.embedder = embedder
            chipCutter = FaceChipCutter(size: embedder.chipSize)
        }
    }

    /// A follower for one video's frames, when this analyser follows faces (nil: every frame is searched).
    public func makeFollower() -> FaceFollower? {
        following.map {
            FaceFollower(
                searcher: detector, finder: $0.finder, settings: $0.settings,
                minimumFaceSizePixels: minimumFaceSizePixels, cutSettings: $0.cuts)
        }
    }

    /// Finds a frame's faces with `follower`, for the analysis after it (`SampledFrame.detection`). A model failure
    /// does not throw: it comes back as the detection's `failure`, which the analysis passes on.
    public func detect(_ frame: SampledFrame, with follower: inout FaceFollower) -> FrameDetection? {
        guard let pixels = frame.pixels else { return nil }
        let clock = ContinuousClock()
        let start = clock.now
        let signature = FrameSignature(of: pixels)
        do {
            let (faces, step) = try follower.faces(
                in: pixels, scale: frame.scaleToSource, at: frame.stamp.timeSeconds, signature: signature)
            return FrameDetection(faces: faces, step: step, signature: signature, seconds: (clock.now - start).seconds)
        } catch {
            return FrameDetection(
                faces: [], step: .searched, signature: signature, seconds: (clock.now - start).seconds,
                failure: "\(error)")
        }
    }

    /// The frame's faces and readings. A model failure does not throw: it comes back as the frame's `failure`, so
    /// the ordered end of the pipeline reports it with the frame it happened on.
    public func analyse(_ frame: SampledFrame) -> AnalysedFrame {
        var times = StageTimes()
        let clock = ContinuousClock()
        var start = clock.now
        let scale = frame.scaleToSource
        guard let pixels = frame.pixels else { return AnalysedFrame(frame, faces: [], times: times) }
        // Only a photo of a set has a file; its copy is made here, while its pixels exist.
        let preview = frame.stamp.file != nil ? previewSide.map { pixels.shrunk(toFit: $0) } : nil
        // Made here, where the pixels are, so the ordered stages can find shot cuts without them.
        let signature = frame.detection?.signature ?? FrameSignature(of: pixels)
        do {
            let faces: [DetectedFace]
            if let found = frame.detection {
                if let failure = found.failure { throw FollowFailure(description: failure) }
                faces = found.faces
                times.detect = found.seconds
            } else {
                faces = try detector.detect(in: pixels).filter { $0.isAtLeast(minimumFaceSizePixels, scale: scale) }
                times.detect = (clock.now - start).seconds
            }
            start = clock.now
            let aligned = faces.map { aligner.align($0, in: pixels) }
            times.register = (clock.now - start).seconds
            start = clock.now
            let scores = try classifier.classify(aligned.map(\.crop))
            var chips = faces.map { face in chipCutter.map { $0.chip(from: pixels, face: face).pixels } }
            times.classify = (clock.now - start).seconds
            // A photo's faces are all embedded (persons across the set): here, on the parallel workers.
            var embeddings = [[Float]?](repeating: nil, count: faces.count)
            if frame.stamp.file != nil, let embedder, chipCutter != nil, !faces.isEmpty {
                start = clock.now
                // A few at a time: a crowd's faces in one batch would hold every face's activations at once.
                let all = chips.map { $0! }
                for start in stride(from: 0, to: all.count, by: Self.embeddingBatch) {
                    let batch = Array(all[start..<min(all.count, start + Self.embeddingBatch)])
                    for (k, made) in embedder.embed(chips: batch).enumerated() { embeddings[start + k] = made }
                }
                chips = chips.map { _ in nil }
                times.embed = (clock.now - start).seconds
            }
            // Detection and alignment ran on the analysed picture; results are given in source pixels.
            let results = faces.indices.map { i in
                let detection = faces[i].scaled(by: scale)
                let (crop, reading) = (aligned[i], scores[i])
                return AnalysedFace(
                    detection: detection, cropToSource: crop.cropToSource.scaled(by: scale), scores: reading,
                    quality: FaceQuality(face: detection, crop: crop.crop, scores: reading, settings: quality),
                    crop: crop.crop, chip: chips[i], embedding: embeddings[i])
            }
            return AnalysedFrame(frame, faces: results, times: times, preview: preview, signature: signature)
        } catch {
            return AnalysedFrame(
                frame, faces: [], times: times, failure: "\(error)", preview: preview, signature: signature)
        }
    }
}

/// A failure the follow stage met, passed on as the frame's (its text is the original error's).
private struct FollowFailure: Error, CustomStringConvertible {
    let description: String
}
