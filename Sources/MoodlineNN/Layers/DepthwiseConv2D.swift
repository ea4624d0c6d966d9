/// A depthwise 2-D convolution (one filter per channel, multiplier 1) over NHWC tensors.
public struct DepthwiseConv2D: Sendable {
    public let kernelHeight: Int
    public let kernelWidth: Int
    public let channels: Int
    public let stride: Int
    public let padding: Padding
    /// `[kernelHeight, kernelWidth, channels]`.
    private var weights: [Float]
    private var bias: [Float]

    /// From a kernel whose values are laid out `[kh, kw, channels]`: TFLite's `[1, kh, kw, C]` or Keras's
    /// `[kh, kw, C, 1]`.
    public init(kernel: Tensor, bias: Tensor?, stride: Int, padding: Padding) {
        let shape = kernel.shape
        precondition(shape.count == 4 && (shape[0] == 1 || shape[3] == 1), "depthwise kernel must be [1,kh,kw,C] or [kh,kw,C,1], got \(shape)")
        let (kh, kw, c) = shape[0] == 1 && shape[3] != 1 ? (shape[1], shape[2], shape[3]) : (shape[0], shape[1], shape[2])
        precondition(bias == nil || bias!.count == c, "bias needs \(c) values")
        kernelHeight = kh
        kernelWidth = kw
        channels = c
        self.stride = stride
        self.padding = padding
        weights = kernel.data
        self.bias = bias?.data ?? [Float](repeating: 0, count: c)
    }

    /// The depthwise convolution of an NHWC tensor.
    ///
    /// - Complexity: O(N · outH · outW · kh · kw · C).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let (n, h, w, c) = input.nhwc
        precondition(c == channels, "DepthwiseConv2D expects \(channels) channels, got \(c)")
        let (outH, padTop) = padding.geometry(input: h, kernel: kernelHeight, stride: stride)
        let (outW, padLeft) = padding.geometry(input: w, kernel: kernelWidth, stride: stride)
        var output = [Float](repeating: 0, count: n * outH * outW * c)
        input.data.withUnsafeBufferPointer { source in
            weights.withUnsafeBufferPointer { kernel in
                bias.withUnsafeBufferPointer { bias in
                    output.withUnsafeMutableBufferPointer { out in
                        for b in 0..<n {
                            for oy in 0..<outH {
                                for ox in 0..<outW {
                                    let o = ((b * outH + oy) * outW + ox) * c
                                    for ch in 0..<c { out[o + ch] = bias[ch] }
                                    for ky in 0..<kernelHeight {
                                        let y = oy * stride + ky - padTop
                                        guard y >= 0 && y < h else { continue }
                                        for kx in 0..<kernelWidth {
                                            let x = ox * stride + kx - padLeft
                                            guard x >= 0 && x < w else { continue }
                                            let from = ((b * h + y) * w + x) * c
                                            let k = (ky * kernelWidth + kx) * c
                                            for ch in 0..<c { out[o + ch] += source[from + ch] * kernel[k + ch] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, outH, outW, c], data: output)
    }
}
