import MoodlineCore

/// What the live page gets back for each frame it sends: the faces with their boxes (in the picture's pixels),
/// track numbers, labels and probabilities, or why the frame could not be read.
struct LiveFrameResult: Encodable, Sendable {
    struct Face: Encodable, Sendable {
        /// Stable while the face stays in view.
        let track: Int
        /// x, y, width, height in the picture's pixels.
        let box: [Double]
        let label: String
        let confidence: Double
        /// True when the reading should not be trusted (see `reasons`).
        let uncertain: Bool
        let reasons: [String]
        /// Each emotion's probability, in `Emotion.allCases` order.
        let probabilities: [Double]

        init(track: Int, face: AnalysedFace) {
            self.track = track
            let box = face.detection.box
            self.box = [box.x, box.y, box.width, box.height].map { ($0 * 10).rounded() / 10 }
            label = face.scores.label.rawValue
            confidence = Self.rounded(face.scores.confidence)
            uncertain = face.quality.isUncertain
            reasons = face.quality.reasons.map(\.rawValue)
            probabilities = face.scores.probabilities.map(Self.rounded)
        }

        private static func rounded(_ value: Float) -> Double { (Double(value) * 10_000).rounded() / 10_000 }
    }

    /// The frame's number in this connection, from 0.
    let frame: Int
    /// Seconds since the connection opened, when the frame was taken up.
    let seconds: Double
    /// Frames dropped so far on this connection for coming faster than the frame-rate limit.
    let dropped: Int
    let error: String?
    var width = 0
    var height = 0
    var faces: [Face] = []
    /// From the frame's arrival at the analyser to its result.
    var analysisMilliseconds = 0.0

    enum CodingKeys: String, CodingKey {
        case frame, seconds, dropped, error, width, height, faces
        case analysisMilliseconds = "analysis_ms"
    }
}
