import Foundation
import MoodlineMedia
import MoodlineNN

/// Moodline's own emotion network, trained on the crops Moodline's detector and aligner cut
/// (`Weights/training/train.py`, class `EmotionVGG`).
///
/// Blocks of 3x3 convolutions (batch norm folded in at load, ReLU), each block ending in 2x2 max pooling; global
/// average pooling and one linear layer. Each crop is standardised to zero mean and unit variance first, so a
/// dim or low-contrast face reads like a well-lit one.
public struct EmotionVGG: EmotionNetwork {
    /// The shape of the network, as the weights file's metadata records it.
    public struct Architecture: Sendable, Equatable {
        /// Channels of each block.
        public var widths: [Int]
        /// Convolutions in each block.
        public var convolutionsPerBlock: [Int]
        /// Crop side in pixels.
        public var inputSize: Int
        /// `crop` (per-crop standardisation) or `fixed` (x / 127.5 - 1).
        public var normalisation: String

        /// Reads `widths`, `convs`, `input_size` and `normalise` from a weights file's metadata (JSON values).
        public init(metadata: [String: String], file: String) throws {
            func value<T>(_ key: String, _ type: T.Type) throws -> T {
                guard let text = metadata[key],
                    let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
                        as? T
                else {
                    throw WeightError.malformedHeader(
                        file: file, detail: "metadata '\(key)' is missing or not a \(T.self)")
                }
                return parsed
            }
            widths = try value("widths", [Int].self)
            convolutionsPerBlock = try value("convs", [Int].self)
            inputSize = try value("input_size", Int.self)
            normalisation = metadata["normalise"] ?? "crop"
            let poolings = widths.count
            guard !widths.isEmpty, widths.count == convolutionsPerBlock.count,
                widths.allSatisfy({ (1...4096).contains($0) }),
                convolutionsPerBlock.allSatisfy({ (1...8).contains($0) }),
                (8...512).contains(inputSize), inputSize % (1 << min(poolings, 16)) == 0,
                ["crop", "fixed"].contains(normalisation)
            else {
                throw WeightError.malformedHeader(
                    file: file,
                    detail: "metadata describes no network this version can run "
                        + "(widths \(widths), convs \(convolutionsPerBlock), input \(inputSize), normalise \(normalisation))"
                )
            }
        }
    }

    public let architecture: Architecture
    public var inputSize: Int { architecture.inputSize }
    private let convolutions: [[Conv2D]]
    private let pool = MaxPool2D(size: 2, stride: 2, padding: .valid)
    private let classifier: Conv2D

    /// PyTorch's batch-norm epsilon.
    static let batchNormEpsilon: Float = 1e-5

    /// Builds the network from `train.py`'s export: `block{b}.conv{c}.weight` (OIHW), `block{b}.bn{c}.*`,
    /// `classifier.weight`, `classifier.bias`.
    ///
    /// - Throws: `WeightError` naming a missing tensor, or both shapes on a mismatch.
    public init(weights file: SafeTensorsFile) throws {
        let architecture = try Architecture(metadata: file.metadata, file: file.name)
        let weights = WeightLoader(file: file)
        var blocks: [[Conv2D]] = []
        var channels = 1
        for (b, width) in architecture.widths.enumerated() {
            var block: [Conv2D] = []
            for c in 0..<architecture.convolutionsPerBlock[b] {
                let oihw = try weights.tensor("block\(b).conv\(c).weight", shape: [width, channels, 3, 3])
                var conv = Conv2D(
                    ohwi: Self.ohwi(fromOIHW: oihw), bias: nil, stride: 1, padding: .same, fusedReLU: true)
                func bn(_ name: String) throws -> Tensor {
                    try weights.tensor("block\(b).bn\(c).\(name)", shape: [width])
                }
                let norm = BatchNorm(
                    gamma: try bn("weight"), beta: try bn("bias"), mean: try bn("running_mean"),
                    variance: try bn("running_var"), epsilon: Self.batchNormEpsilon)
                conv.fold(scale: norm.scale, shift: norm.shift)
                block.append(conv)
                channels = width
            }
            blocks.append(block)
        }
        convolutions = blocks
        let classes = Emotion.allCases.count
        let linear = try weights.tensor("classifier.weight", shape: [classes, channels])
        // The linear layer is a 1x1 convolution over the pooled [N, 1, 1, C] features.
        classifier = Conv2D(
            ohwi: linear.reshaped([classes, 1, 1, channels]),
            bias: try weights.tensor("classifier.bias", shape: [classes]), stride: 1, padding: .valid)
        self.architecture = architecture
    }

    /// PyTorch's `[out, in, kh, kw]` kernel as `[out, kh, kw, in]`.
    static func ohwi(fromOIHW kernel: Tensor) -> Tensor {
        let (o, i, kh, kw) = (kernel.shape[0], kernel.shape[1], kernel.shape[2], kernel.shape[3])
        var data = [Float](repeating: 0, count: kernel.count)
        for out in 0..<o {
            for input in 0..<i {
                for y in 0..<kh {
                    for x in 0..<kw {
                        data[((out * kh + y) * kw + x) * i + input] = kernel.data[((out * i + input) * kh + y) * kw + x]
                    }
                }
            }
        }
        return Tensor(shape: [o, kh, kw, i], data: data)
    }

    public func logits(_ crops: [PixelBuffer]) -> Tensor {
        // One crop at a time: a batch's im2col matrices outgrow the cache (32 crops took twice as long per crop).
        guard crops.count == 1 else {
            let each = crops.map { logits([$0]) }
            return Tensor(shape: [crops.count, Emotion.allCases.count], data: each.flatMap(\.data))
        }
        var x = batch(crops) { bytes in
            architecture.normalisation == "crop" ? Self.standardised(bytes) : bytes.map { Float($0) / 127.5 - 1 }
        }
        for block in convolutions {
            for conv in block { x = conv(x) }
            x = pool(x)
        }
        let pooled = globalAveragePool(x)
        let features = pooled.reshaped([pooled.shape[0], 1, 1, pooled.shape[1]])
        let out = classifier(features)
        return out.reshaped([out.shape[0], out.shape[3]])
    }

    /// `(x - mean) / sqrt(variance + 1e-4)` over the crop, with x in [0, 1], as `train.py`'s `normalise`.
    static func standardised(_ bytes: [UInt8]) -> [Float] {
        let count = Double(bytes.count)
        var sum = 0.0, squares = 0.0
        for byte in bytes {
            let v = Double(byte) / 255
            sum += v
            squares += v * v
        }
        let mean = sum / count
        let scale = 1 / (max(0, squares / count - mean * mean) + 1e-4).squareRoot()
        return bytes.map { Float((Double($0) / 255 - mean) * scale) }
    }
}

extension EmotionClassifierEntry {
    /// Moodline's own network, trained on the crops Moodline's detector and aligner cut (`Weights/training/`).
    public static let moodline = EmotionClassifierEntry(
        name: "moodline", summary: "trained on Moodline's own crops", weights: ["emotion_moodline"], inputSize: 48
    ) { store in
        let file = try store.manifest.open("emotion_moodline")
        return (try EmotionVGG(weights: file), try ModelStore.temperature(in: file))
    }

    /// The same network trained on FER+'s ten votes per face mixed with FER2013's label, classes balanced, its
    /// temperature fitted to the vote distributions: its probabilities read as the share of people who would
    /// call the face so. Not the default yet: it reads posed expressions and FER2013's labels less well.
    public static let moodlineFerPlus = EmotionClassifierEntry(
        name: "moodline_ferplus", summary: "trained on FER+'s ten human votes per face",
        weights: ["emotion_moodline_ferplus"],
        inputSize: 48
    ) { store in
        let file = try store.manifest.open("emotion_moodline_ferplus")
        return (try EmotionVGG(weights: file), try ModelStore.temperature(in: file))
    }
}
