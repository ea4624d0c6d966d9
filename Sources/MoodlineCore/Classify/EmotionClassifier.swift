import MoodlineMedia
import MoodlineNN

/// Reads seven emotion probabilities from aligned grey face crops.
///
/// Immutable once built, so one classifier serves many queues.
public struct EmotionClassifier: Sendable {
    private let network: MiniXception

    /// The crop side the network takes, in pixels.
    public var inputSize: Int { network.configuration.inputSize }

    public init(weights: SafeTensorsFile) throws {
        network = try MiniXception(weights: WeightLoader(file: weights))
    }

    /// Scores for each crop (grey, `inputSize` square), in one batched pass.
    ///
    /// - Throws: `ModelOutputError` if any probability is not finite.
    /// - Complexity: about 24 MFLOP per face.
    public func classify(_ crops: [PixelBuffer]) throws -> [EmotionScores] {
        guard !crops.isEmpty else { return [] }
        let size = inputSize
        var values = [Float]()
        values.reserveCapacity(crops.count * size * size)
        for crop in crops {
            precondition(crop.layout == .grey && crop.width == size && crop.height == size,
                         "the classifier needs \(size)x\(size) grey crops, got \(crop.width)x\(crop.height) \(crop.layout)")
            // (x / 255 - 0.5) * 2: the normalisation the network was trained with.
            for byte in crop.bytes { values.append(Float(byte) / 127.5 - 1) }
        }
        let probabilities = network(Tensor(shape: [crops.count, size, size, 1], data: values))
        guard probabilities.data.allSatisfy(\.isFinite) else { throw ModelOutputError(model: "emotion classifier") }
        let classes = Emotion.allCases.count
        return (0..<crops.count).map { i in
            EmotionScores(probabilities: Array(probabilities.data[(i * classes)..<((i + 1) * classes)]))
        }
    }
}
