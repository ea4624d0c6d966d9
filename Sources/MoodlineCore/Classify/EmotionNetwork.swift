import MoodlineMedia
import MoodlineNN

/// An emotion network: seven logits per aligned grey face crop, in `Emotion.allCases` order.
///
/// Each network scales its input as it was trained to; `EmotionClassifier` turns logits into calibrated
/// probabilities. A new classifier family is one more conforming type, built by `ModelStore`.
public protocol EmotionNetwork: Sendable {
    /// The crop side the network takes, in pixels.
    var inputSize: Int { get }
    /// Logits `[N, 7]` for grey crops of `inputSize` square.
    func logits(_ crops: [PixelBuffer]) -> Tensor
}

extension EmotionNetwork {
    /// The crops as one `[N, S, S, 1]` tensor, each pixel mapped by `scale` (a crop's bytes to its values).
    func batch(_ crops: [PixelBuffer], scale: ([UInt8]) -> [Float]) -> Tensor {
        var values = [Float]()
        values.reserveCapacity(crops.count * inputSize * inputSize)
        for crop in crops {
            precondition(
                crop.layout == .grey && crop.width == inputSize && crop.height == inputSize,
                "the classifier needs \(inputSize)x\(inputSize) grey crops, got \(crop.width)x\(crop.height) \(crop.layout)"
            )
            values += scale(crop.bytes)
        }
        return Tensor(shape: [crops.count, inputSize, inputSize, 1], data: values)
    }
}
