/// Inference-time batch normalisation, expressed as a per-channel scale and shift so it can be folded into the
/// convolution before it.
public struct BatchNorm: Sendable {
    public let scale: [Float]
    public let shift: [Float]

    /// `y = gamma * (x - mean) / sqrt(variance + epsilon) + beta`.
    public init(gamma: Tensor, beta: Tensor, mean: Tensor, variance: Tensor, epsilon: Float) {
        let c = gamma.count
        precondition(
            beta.count == c && mean.count == c && variance.count == c, "batch norm parameters must have equal sizes")
        var scale = [Float](repeating: 0, count: c)
        var shift = [Float](repeating: 0, count: c)
        for i in 0..<c {
            scale[i] = gamma.data[i] / (variance.data[i] + epsilon).squareRoot()
            shift[i] = beta.data[i] - mean.data[i] * scale[i]
        }
        self.scale = scale
        self.shift = shift
    }

    /// Loads `gamma`, `beta`, `moving_mean`, `moving_variance` (Keras names) of `channels` values each.
    public init(loading loader: WeightLoader, channels: Int, epsilon: Float) throws {
        self.init(
            gamma: try loader.tensor("gamma", shape: [channels]), beta: try loader.tensor("beta", shape: [channels]),
            mean: try loader.tensor("moving_mean", shape: [channels]),
            variance: try loader.tensor("moving_variance", shape: [channels]), epsilon: epsilon)
    }

    /// Applies the normalisation to an NHWC tensor (used where there is no convolution to fold into).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let c = scale.count
        precondition(input.shape.last == c, "BatchNorm expects \(c) channels, got \(input.shape)")
        var out = input
        for i in out.data.indices { out.data[i] = out.data[i] * scale[i % c] + shift[i % c] }
        return out
    }
}

extension BatchNorm {
    /// Folds a per-channel `scale` and `shift` into a layer's weights, laid out with the output channel last
    /// (`[..., channels]`), and its bias: what `Conv2D.fold` and `TransposedConv2D.fold` do.
    static func fold(
        scale: [Float], shift: [Float], intoWeights weights: inout [Float], bias: inout [Float], channels: Int
    ) {
        precondition(scale.count == channels && shift.count == channels, "fold needs one value per output channel")
        for k in 0..<(weights.count / channels) {
            for o in 0..<channels { weights[k * channels + o] *= scale[o] }
        }
        for o in 0..<channels { bias[o] = bias[o] * scale[o] + shift[o] }
    }
}
