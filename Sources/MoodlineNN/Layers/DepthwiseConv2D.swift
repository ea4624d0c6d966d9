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
    /// Works tap by tap over each output row's valid span, so the inner loop has no bounds tests and runs over
    /// channels eight at a time.
    ///
    /// - Complexity: O(N · outH · outW · kh · kw · C).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let (n, h, w, c) = input.nhwc
        precondition(c == channels, "DepthwiseConv2D expects \(channels) channels, got \(c)")
        let (outH, padTop) = padding.geometry(input: h, kernel: kernelHeight, stride: stride)
        let (outW, padLeft) = padding.geometry(input: w, kernel: kernelWidth, stride: stride)
        // Every value starts as the bias below, so the array need not be zeroed first.
        var output = [Float](unsafeUninitializedCapacity: n * outH * outW * c) { _, count in count = n * outH * outW * c }
        input.data.withUnsafeBufferPointer { sourceBuffer in
            weights.withUnsafeBufferPointer { kernelBuffer in
                bias.withUnsafeBufferPointer { biasBuffer in
                    output.withUnsafeMutableBufferPointer { outBuffer in
                        let source = sourceBuffer.baseAddress!, kernel = kernelBuffer.baseAddress!
                        let bias = biasBuffer.baseAddress!, out = outBuffer.baseAddress!
                        for b in 0..<n {
                            for oy in 0..<outH {
                                let outRow = out + (b * outH + oy) * outW * c
                                for ox in 0..<outW { (outRow + ox * c).update(from: bias, count: c) }
                                for ky in 0..<kernelHeight {
                                    let y = oy * stride + ky - padTop
                                    guard y >= 0 && y < h else { continue }
                                    let inRow = source + (b * h + y) * w * c
                                    for kx in 0..<kernelWidth {
                                        let tap = kernel + (ky * kernelWidth + kx) * c
                                        // Output columns whose input column x = ox * stride + kx - padLeft is inside.
                                        let first = max(0, (padLeft - kx + stride - 1) / stride)
                                        let last = min(outW, (w - 1 - kx + padLeft) / stride + 1)
                                        guard first < last else { continue }
                                        for ox in first..<last {
                                            multiplyAdd(out: outRow + ox * c, source: inRow + (ox * stride + kx - padLeft) * c,
                                                        tap: tap, count: c)
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

/// `out[i] += source[i] * tap[i]` for `count` values, eight at a time.
@inline(__always)
private func multiplyAdd(out: UnsafeMutablePointer<Float>, source: UnsafePointer<Float>, tap: UnsafePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count {
        let o = UnsafeMutableRawPointer(out + i)
        let sum = o.loadUnaligned(as: SIMD8<Float>.self)
            + UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self) * UnsafeRawPointer(tap + i).loadUnaligned(as: SIMD8<Float>.self)
        o.storeBytes(of: sum, as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        out[i] += source[i] * tap[i]
        i += 1
    }
}
