import MoodlineMedia
import MoodlineNN

/// Reads seven calibrated emotion probabilities from aligned grey face crops.
///
/// The network's logits are divided by the temperature fitted on held-back training data (so a reading of 0.8
/// is right about 80% of the time), then turned into probabilities. Optionally each crop is also read mirrored and
/// the two sets of logits are averaged. Immutable once built, so one classifier serves many queues.
public struct EmotionClassifier: Sendable {
    public let network: any EmotionNetwork
    /// The softmax temperature (1: the network's own probabilities).
    public let temperature: Double
    /// Whether each crop is also read mirrored left to right, the logits averaged (twice the cost).
    public let flipAverage: Bool

    /// The crop side the network takes, in pixels.
    public var inputSize: Int { network.inputSize }

    public init(network: any EmotionNetwork, temperature: Double = 1, flipAverage: Bool = false) {
        precondition(temperature > 0 && temperature.isFinite, "the temperature must be positive")
        self.network = network
        self.temperature = temperature
        self.flipAverage = flipAverage
    }

    /// Scores for each crop (grey, `inputSize` square), in one batched pass.
    ///
    /// - Throws: `ModelOutputError` if any probability is not finite.
    public func classify(_ crops: [PixelBuffer]) throws -> [EmotionScores] {
        guard !crops.isEmpty else { return [] }
        var logits = network.logits(crops)
        if flipAverage {
            let mirrored = network.logits(crops.map(Self.mirrored))
            for i in logits.data.indices { logits.data[i] = (logits.data[i] + mirrored.data[i]) / 2 }
        }
        let scale = Float(1 / temperature)
        for i in logits.data.indices { logits.data[i] *= scale }
        let probabilities = softmax(logits)
        guard probabilities.data.allSatisfy(\.isFinite) else { throw ModelOutputError(model: "emotion classifier") }
        let classes = Emotion.allCases.count
        return (0..<crops.count).map { i in
            EmotionScores(probabilities: Array(probabilities.data[(i * classes)..<((i + 1) * classes)]))
        }
    }

    /// The crop mirrored left to right.
    static func mirrored(_ crop: PixelBuffer) -> PixelBuffer {
        var out = crop
        let channels = crop.layout.channels
        for y in 0..<crop.height {
            for x in 0..<crop.width {
                for c in 0..<channels {
                    out.bytes[(y * crop.width + x) * channels + c] =
                        crop.bytes[(y * crop.width + crop.width - 1 - x) * channels + c]
                }
            }
        }
        return out
    }
}
