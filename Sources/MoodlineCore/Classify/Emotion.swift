import Foundation

/// The seven emotions, in the classifier's output order (FER2013's label order).
public enum Emotion: String, Sendable, Codable, CaseIterable {
    case angry, disgust, fear, happy, sad, surprise, neutral

    /// Its position in `allCases`: the classifier's output index and the column of every probability table.
    public var index: Int {
        switch self {
        case .angry: 0
        case .disgust: 1
        case .fear: 2
        case .happy: 3
        case .sad: 4
        case .surprise: 5
        case .neutral: 6
        }
    }
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
        probabilities[emotion.index]
    }

    /// The most probable emotion (the first on a tie).
    public var label: Emotion {
        var best = 0
        for i in probabilities.indices where probabilities[i] > probabilities[best] { best = i }
        return Emotion.allCases[best]
    }

    /// The probability of `label`.
    public var confidence: Float { self[label] }

    /// How spread the probabilities are: their entropy over the largest possible (ln 7), from 0 (one emotion
    /// certain) to 1 (all seven equal). Two emotions at half each give 0.36.
    public var spread: Double {
        var entropy = 0.0
        for p in probabilities where p > 0 { entropy -= Double(p) * log(Double(p)) }
        // Clamped: rounding in seven equal Float probabilities can take it a hair past 1 (the gate's "never").
        return min(1, entropy / log(Double(Emotion.allCases.count)))
    }
}
