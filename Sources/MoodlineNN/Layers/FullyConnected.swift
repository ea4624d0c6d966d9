/// A fully connected layer, `y = x · W + b`, over the last axis: `[N, in]` to `[N, out]`.
public struct FullyConnected: Sendable {
    public let inputs: Int
    public let outputs: Int
    /// `[inputs, outputs]`, row-major: the GEMM's right operand.
    private let weights: [Float]
    private let bias: [Float]?

    /// From a `[inputs, outputs]` weight matrix (dlib's `fc_` layout, Keras's `Dense` kernel) and an optional bias.
    public init(weights: Tensor, bias: Tensor?) {
        precondition(weights.shape.count == 2, "FullyConnected weights must be [inputs, outputs], got \(weights.shape)")
        precondition(bias == nil || bias!.count == weights.shape[1], "bias needs \(weights.shape[1]) values")
        inputs = weights.shape[0]
        outputs = weights.shape[1]
        self.weights = weights.data
        self.bias = bias?.data
    }

    /// The layer applied to each row of an `[N, inputs]` tensor (any tensor whose last axis is `inputs`).
    ///
    /// - Complexity: O(N · inputs · outputs).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(input.shape.last == inputs, "FullyConnected expects \(inputs) inputs, got shape \(input.shape)")
        let rows = input.count / max(inputs, 1)
        var output = [Float](repeating: 0, count: rows * outputs)
        if let bias {
            for r in 0..<rows { output.replaceSubrange(r * outputs..<(r + 1) * outputs, with: bias) }
        }
        input.data.withUnsafeBufferPointer { a in
            weights.withUnsafeBufferPointer { b in
                output.withUnsafeMutableBufferPointer { out in
                    BLAS.multiplyAccumulate(
                        a.baseAddress!, b.baseAddress!, out.baseAddress!, m: rows, n: outputs, k: inputs)
                }
            }
        }
        return Tensor(shape: Array(input.shape.dropLast()) + [outputs], data: output)
    }
}
