import Foundation

/// A feed-forward network described by a list of ops (stored in a weights file's `graph` metadata by
/// `Weights/convert_weights.py`, read from the upstream TFLite flatbuffer) and run with this library's layers.
///
/// Every op is turned into a typed step at load time, with each weight's shape checked, so running it does no
/// parsing. Values are numbered; 0 is the input. Intermediate values are released after their last use.
public struct LayerGraph: Sendable {
    enum Step: Sendable {
        case conv(Conv2D, input: Int)
        case depthwise(DepthwiseConv2D, input: Int)
        case transposedConv(TransposedConv2D, input: Int)
        case relu(input: Int)
        case sigmoid(input: Int)
        /// `first` (with `padFirst` zero channels appended) plus `second`, then a ReLU if `relu`.
        case add(Int, Int, padFirst: Int, relu: Bool)
        case maxPool(MaxPool2D, input: Int)
        case padChannels(extra: Int, input: Int)
        case resize(height: Int, width: Int, input: Int)
        case reshape([Int], input: Int)
        case concatenate(inputs: [Int], axis: Int)
    }

    /// The input shape the graph was built for, NHWC with batch 1; a height or width of -1 takes any size (a fully
    /// convolutional network).
    public let inputShape: [Int]
    /// Output value numbers by name (e.g. "regressors", "classificators").
    public let outputs: [String: Int]
    private let steps: [(step: Step, output: Int)]
    private let valueCount: Int
    /// For each step, the values whose last use it is.
    private let releases: [[Int]]

    /// Builds the graph described in `file.metadata["graph"]` from the file's tensors.
    ///
    /// - Throws: `WeightError` when the description is missing or malformed, names an op this library does not
    ///   run, or refers to a tensor that is missing or has the wrong shape.
    public init(file: SafeTensorsFile) throws {
        guard let text = file.metadata["graph"],
            let json = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let ops = json["ops"] as? [[String: Any]], let values = json["values"] as? Int,
            let input = json["input"] as? [Int], let outputs = json["outputs"] as? [String: Int]
        else {
            throw WeightError.malformedHeader(file: file.name, detail: "no valid 'graph' description in __metadata__")
        }
        let loader = WeightLoader(file: file)
        var steps: [(Step, Int)] = []
        for (index, op) in ops.enumerated() {
            steps.append(try Self.step(op, index: index, loader: loader, file: file.name, valueCount: values))
        }
        let fused = Self.fuse(steps, outputs: Set(outputs.values))
        var lastUse: [Int: Int] = [:]
        for (i, entry) in fused.enumerated() {
            for v in Self.inputs(of: entry.0) { lastUse[v] = i }
        }
        var releases = [[Int]](repeating: [], count: fused.count)
        for (value, step) in lastUse where !outputs.values.contains(value) { releases[step].append(value) }

        self.inputShape = input
        self.outputs = outputs
        self.steps = fused.map { (step: $0.0, output: $0.1) }
        self.valueCount = values
        self.releases = releases
    }

    /// Runs the graph on `input` and returns the named outputs.
    public func callAsFunction(_ input: Tensor) -> [String: Tensor] {
        precondition(
            input.shape.count == 4
                && zip(input.shape.dropFirst(), inputShape.dropFirst()).allSatisfy { $1 == -1 || $0 == $1 },
            "graph expects input shape [N] + \(inputShape.dropFirst()), got \(input.shape)")
        var values = [Tensor?](repeating: nil, count: valueCount)
        values[0] = input
        for (i, entry) in steps.enumerated() {
            values[entry.output] = run(entry.step, &values, releasing: releases[i])
            for v in releases[i] { values[v] = nil }
        }
        return outputs.mapValues { values[$0]! }
    }

    /// Runs one step. `releasing` are the values this step uses for the last time: an addition takes its second
    /// operand out of `values` when it is one of them, so the sum is made in that operand's storage.
    private func run(_ step: Step, _ values: inout [Tensor?], releasing: [Int]) -> Tensor {
        switch step {
        case .conv(let conv, let input): return conv(values[input]!)
        case .depthwise(let conv, let input): return conv(values[input]!)
        case .transposedConv(let conv, let input): return conv(values[input]!)
        case .relu(let input): return relu(values[input]!)
        case .sigmoid(let input): return sigmoid(values[input]!)
        case .add(let a, let b, let pad, let relu):
            var target = values[b]!
            if releasing.contains(b) && a != b { values[b] = nil }
            addPadded(values[a]!, padding: pad, into: &target, relu: relu)
            return target
        case .maxPool(let pool, let input): return pool(values[input]!)
        case .padChannels(let extra, let input): return padChannels(values[input]!, extra: extra)
        case .resize(let height, let width, let input):
            return resizeBilinear(values[input]!, height: height, width: width)
        case .reshape(let shape, let input):
            // The stored shape has batch 1; keep the actual batch.
            let tensor = values[input]!
            let batch = tensor.shape[0]
            return tensor.reshaped([batch] + shape.dropFirst())
        case .concatenate(let inputs, let axis):
            return concatenate(inputs.map { values[$0]! }, axis: axis)
        }
    }

    private static func inputs(of step: Step) -> [Int] {
        switch step {
        case .conv(_, let i), .depthwise(_, let i), .transposedConv(_, let i), .relu(let i), .sigmoid(let i),
            .maxPool(_, let i), .padChannels(_, let i), .resize(_, _, let i), .reshape(_, let i):
            return [i]
        case .add(let a, let b, _, _): return [a, b]
        case .concatenate(let inputs, _): return inputs
        }
    }

    /// Merges steps whose intermediate result nothing else reads: a ReLU into the convolution or addition
    /// before it, and a channel padding into the addition after it. Each saves a pass over a full tensor.
    private static func fuse(_ steps: [(Step, Int)], outputs: Set<Int>) -> [(Step, Int)] {
        var uses: [Int: Int] = [:]
        for (step, _) in steps { for v in inputs(of: step) { uses[v, default: 0] += 1 } }
        for v in outputs { uses[v, default: 0] += 1 }
        var fused: [(Step, Int)?] = []
        var producer: [Int: Int] = [:] // value -> position in `fused`
        func soleUse(_ value: Int) -> Int? { uses[value] == 1 ? producer[value] : nil }

        for (step, output) in steps {
            switch step {
            case .relu(let source):
                if let at = soleUse(source), let (earlier, _) = fused[at] {
                    if case .conv(var conv, let input) = earlier {
                        conv.fusedReLU = true
                        fused[at] = (.conv(conv, input: input), output)
                        producer[output] = at
                        continue
                    }
                    if case .transposedConv(var conv, let input) = earlier {
                        conv.fusedReLU = true
                        fused[at] = (.transposedConv(conv, input: input), output)
                        producer[output] = at
                        continue
                    }
                    if case .add(let a, let b, let pad, false) = earlier {
                        fused[at] = (.add(a, b, padFirst: pad, relu: true), output)
                        producer[output] = at
                        continue
                    }
                }
            case .add(let a, let b, 0, false):
                // Addition is symmetric: move a channel-padded operand first and read its unpadded input.
                for (padded, other) in [(a, b), (b, a)] {
                    if let at = soleUse(padded), let (earlier, _) = fused[at],
                        case .padChannels(let extra, let input) = earlier
                    {
                        fused[at] = nil
                        producer[output] = fused.count
                        fused.append((.add(input, other, padFirst: extra, relu: false), output))
                        break
                    }
                }
                if producer[output] != nil { continue }
            default:
                break
            }
            producer[output] = fused.count
            fused.append((step, output))
        }
        return fused.compactMap { $0 }
    }

    private static func step(
        _ op: [String: Any], index: Int, loader: WeightLoader, file: String,
        valueCount: Int
    ) throws -> (Step, Int) {
        func bad(_ detail: String) -> WeightError {
            WeightError.malformedHeader(file: file, detail: "graph op \(index) (\(op["op"] ?? "?")): \(detail)")
        }
        guard let kind = op["op"] as? String, let inputs = op["inputs"] as? [Int], let output = op["output"] as? Int,
            output > 0, output < valueCount, inputs.allSatisfy({ $0 >= 0 && $0 < valueCount }), !inputs.isEmpty
        else {
            throw bad("needs 'op', 'inputs' and 'output' within the graph's \(valueCount) values")
        }
        func padding() throws -> Padding {
            guard let name = op["padding"] as? String, let padding = Padding(rawValue: name) else {
                throw bad("bad padding")
            }
            return padding
        }
        func int(_ key: String) throws -> Int {
            guard let value = op[key] as? Int, value > 0 else { throw bad("needs a positive '\(key)'") }
            return value
        }
        switch kind {
        case "conv_2d", "depthwise_conv_2d":
            guard let weightName = op["weight"] as? String, let biasName = op["bias"] as? String else {
                throw bad("needs weight and bias")
            }
            let shape = try loader.shape(of: weightName)
            guard shape.count == 4 else { throw bad("kernel '\(weightName)' must have rank 4, has \(shape)") }
            let kernel = try loader.tensor(weightName, shape: shape)
            let channels = kind == "conv_2d" ? shape[0] : shape[3]
            let bias = try loader.tensor(biasName, shape: [channels])
            if kind == "conv_2d" {
                return (
                    .conv(
                        Conv2D(ohwi: kernel, bias: bias, stride: try int("stride"), padding: try padding()),
                        input: inputs[0]), output
                )
            }
            guard shape[0] == 1 else {
                throw bad("depthwise kernel '\(weightName)' must be [1, kh, kw, C], is \(shape)")
            }
            return (
                .depthwise(
                    DepthwiseConv2D(kernel: kernel, bias: bias, stride: try int("stride"), padding: try padding()),
                    input: inputs[0]), output
            )
        case "transpose_conv_2d":
            // PyTorch's layout [in, out, s, s], kernel equal to stride, no padding (TransposedConv2D).
            guard let weightName = op["weight"] as? String else { throw bad("needs a weight") }
            let shape = try loader.shape(of: weightName)
            let stride = try int("stride")
            guard shape.count == 4, shape[2] == stride, shape[3] == stride else {
                throw bad("kernel '\(weightName)' must be [in, out, \(stride), \(stride)], is \(shape)")
            }
            let bias = try (op["bias"] as? String).map { try loader.tensor($0, shape: [shape[1]]) }
            return (
                .transposedConv(
                    TransposedConv2D(ioHW: try loader.tensor(weightName, shape: shape), bias: bias, stride: stride),
                    input: inputs[0]), output
            )
        case "relu":
            return (.relu(input: inputs[0]), output)
        case "sigmoid":
            return (.sigmoid(input: inputs[0]), output)
        case "add":
            guard inputs.count == 2 else { throw bad("add takes two inputs") }
            return (.add(inputs[0], inputs[1], padFirst: 0, relu: false), output)
        case "max_pool_2d":
            return (
                .maxPool(
                    MaxPool2D(size: try int("size"), stride: try int("stride"), padding: try padding()),
                    input: inputs[0]), output
            )
        case "pad_channels":
            return (.padChannels(extra: try int("channels"), input: inputs[0]), output)
        case "resize_bilinear":
            guard let size = op["size"] as? [Int], size.count == 2, size.allSatisfy({ $0 > 0 }) else {
                throw bad("needs size [h, w]")
            }
            return (.resize(height: size[0], width: size[1], input: inputs[0]), output)
        case "reshape":
            guard let shape = op["shape"] as? [Int], !shape.isEmpty else { throw bad("needs a shape") }
            return (.reshape(shape, input: inputs[0]), output)
        case "concatenation":
            guard let axis = op["axis"] as? Int, axis == 1 else {
                throw bad("only concatenation on axis 1 is supported")
            }
            return (.concatenate(inputs: inputs, axis: axis), output)
        default:
            throw bad("op '\(kind)' is not supported")
        }
    }
}

/// Joins tensors of equal rank along axis 1 (all other dimensions equal).
func concatenate(_ tensors: [Tensor], axis: Int) -> Tensor {
    precondition(axis == 1 && !tensors.isEmpty, "concatenate supports axis 1")
    let first = tensors[0]
    let batch = first.shape[0]
    let inner = first.shape.dropFirst(2).reduce(1, *)
    precondition(
        tensors.allSatisfy {
            $0.shape.count == first.shape.count && $0.shape[0] == batch
                && $0.shape.dropFirst(2).elementsEqual(first.shape.dropFirst(2))
        },
        "concatenate needs equal shapes but for axis 1")
    let total = tensors.reduce(0) { $0 + $1.shape[1] }
    var data: [Float] = []
    data.reserveCapacity(batch * total * inner)
    for b in 0..<batch {
        for t in tensors {
            let size = t.shape[1] * inner
            data.append(contentsOf: t.data[(b * size)..<((b + 1) * size)])
        }
    }
    var shape = first.shape
    shape[1] = total
    return Tensor(shape: shape, data: data)
}
