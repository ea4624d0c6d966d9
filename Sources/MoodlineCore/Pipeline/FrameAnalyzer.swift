import Foundation
import MoodlineMedia

/// The per-frame work with no state: detect faces, align each by its eyes, classify the crops in one batch.
/// Immutable, so one analyser serves every worker.
public struct FrameAnalyzer: Sendable {
    public let detector: FaceDetector
    public let aligner: FaceAligner
    public let classifier: EmotionClassifier

    public init(detector: FaceDetector, aligner: FaceAligner, classifier: EmotionClassifier) {
        self.detector = detector
        self.aligner = aligner
        self.classifier = classifier
    }

    public func analyse(_ frame: SampledFrame) -> AnalysedFrame {
        var times = StageTimes()
        let clock = ContinuousClock()
        var start = clock.now
        let faces = detector.detect(in: frame.pixels)
        times.detect = (clock.now - start).seconds
        start = clock.now
        let aligned = faces.map { aligner.align($0, in: frame.pixels) }
        times.register = (clock.now - start).seconds
        start = clock.now
        let scores = classifier.classify(aligned.map(\.crop))
        times.classify = (clock.now - start).seconds
        let results = zip(faces, zip(aligned, scores)).map {
            AnalysedFace(detection: $0, cropToSource: $1.0.cropToSource, scores: $1.1)
        }
        return AnalysedFrame(sequence: frame.sequence, index: frame.index, timeSeconds: frame.timeSeconds,
                             file: frame.file, faces: results, times: times)
    }
}

extension Duration {
    /// The duration in seconds as a Double.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
