/// The seven emotions, in the classifier's output order (FER2013's label order).
public enum Emotion: String, Sendable, Codable, CaseIterable {
    case angry, disgust, fear, happy, sad, surprise, neutral
}

/// The classifier's answer for one face.
public struct EmotionScores: Sendable, Equatable, Codable {
    /// Probabilities in `Emotion.allCases` order; they sum to 1.
    public let probabilities: [Float]

    public init(probabilities: [Float]) {
        precondition(probabilities.count == Emotion.allCases.count, "need 7 probabilities, got \(probabilities.count)")
        self.probabilities = probabilities
    }

    public subscript(_ emotion: Emotion) -> Float {
        probabilities[Emotion.allCases.firstIndex(of: emotion)!]
    }

    /// The most probable emotion (the first on a tie).
    public var label: Emotion {
        var best = 0
        for i in probabilities.indices where probabilities[i] > probabilities[best] { best = i }
        return Emotion.allCases[best]
    }

    /// The probability of `label`.
    public var confidence: Float { self[label] }
}
