/// A transposed 2-D convolution whose kernel equals its stride and that pads nothing (PyTorch's
/// `ConvTranspose2d(kernel_size=s, stride=s)`), over NHWC tensors: each input pixel becomes an `s × s` block of the
/// output, so the output is `s` times larger and no two blocks overlap. That is the upsampling of feature pyramids
/// such as CenterFace's.
///
/// One matrix product gives every block: `[pixels, in] · [in, s · s · out]`; its rows are then spread to their
/// blocks with the bias (and a ReLU when fused).
public struct TransposedConv2D: Sendable {
    public let stride: Int
    public let inputChannels: Int
    public let outputChannels: Int
    /// Whether a ReLU is applied to the output.
    public var fusedReLU: Bool
    /// `[in, s, s, out]`, row-major: the product's right operand.
    private var weights: [Float]
    private var bias: [Float]

    /// From PyTorch's and ONNX's kernel `[in, out, s, s]`, repacked once here.
    public init(ioHW kernel: Tensor, bias: Tensor?, stride: Int, fusedReLU: Bool = false) {
        precondition(kernel.shape.count == 4, "a transposed kernel has rank 4, got \(kernel.shape)")
        let (i, o, kh, kw) = (kernel.shape[0], kernel.shape[1], kernel.shape[2], kernel.shape[3])
        precondition(kh == stride && kw == stride && stride >= 1, "kernel \(kh)x\(kw) must equal stride \(stride)")
        precondition(bias == nil || bias!.count == o, "bias needs \(o) values")
        var packed = [Float](repeating: 0, count: i * kh * kw * o)
        for c in 0..<i {
            for out in 0..<o {
                for y in 0..<kh {
                    for x in 0..<kw {
                        packed[((c * kh + y) * kw + x) * o + out] = kernel.data[((c * o + out) * kh + y) * kw + x]
                    }
                }
            }
        }
        self.stride = stride
        inputChannels = i
        outputChannels = o
        self.fusedReLU = fusedReLU
        weights = packed
        self.bias = bias?.data ?? [Float](repeating: 0, count: o)
    }

    /// Scales each output channel and adds a shift: how a following batch norm is folded in at load time.
    public mutating func fold(scale: [Float], shift: [Float]) {
        BatchNorm.fold(scale: scale, shift: shift, intoWeights: &weights, bias: &bias, channels: outputChannels)
    }

    /// The transposed convolution of an NHWC tensor: `[n, h, w, in]` to `[n, s·h, s·w, out]`.
    ///
    /// - Complexity: O(N · h · w · in · s² · out).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let (n, h, w, c) = input.nhwc
        precondition(c == inputChannels, "TransposedConv2D expects \(inputChannels) channels, got \(c)")
        let s = stride, o = outputChannels
        let pixels = n * h * w, blockWidth = s * s * o
        var blocks = [Float](repeating: 0, count: pixels * blockWidth)
        input.data.withUnsafeBufferPointer { a in
            weights.withUnsafeBufferPointer { b in
                blocks.withUnsafeMutableBufferPointer { product in
                    BLAS.multiplyAccumulate(
                        a.baseAddress!, b.baseAddress!, product.baseAddress!, m: pixels, n: blockWidth, k: c)
                }
            }
        }
        let (outH, outW) = (h * s, w * s)
        var output = [Float](repeating: 0, count: n * outH * outW * o)
        for image in 0..<n {
            for y in 0..<h {
                for x in 0..<w {
                    let block = ((image * h + y) * w + x) * blockWidth
                    for dy in 0..<s {
                        for dx in 0..<s {
                            let from = block + (dy * s + dx) * o
                            let to = ((image * outH + y * s + dy) * outW + x * s + dx) * o
                            for k in 0..<o {
                                let value = blocks[from + k] + bias[k]
                                output[to + k] = fusedReLU ? max(value, 0) : value
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, outH, outW, o], data: output)
    }
}
