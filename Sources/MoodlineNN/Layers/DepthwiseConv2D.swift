import CKernels

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
        precondition(
            shape.count == 4 && (shape[0] == 1 || shape[3] == 1),
            "depthwise kernel must be [1,kh,kw,C] or [kh,kw,C,1], got \(shape)")
        let (kh, kw, c) =
            shape[0] == 1 && shape[3] != 1 ? (shape[1], shape[2], shape[3]) : (shape[0], shape[1], shape[2])
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
    /// Runs in C (`moodline_depthwise_conv_nhwc`), built for the widest vector instructions this CPU has: tap by
    /// tap over each output row's valid span, with no bounds tests in the inner loop over channels.
    ///
    /// - Complexity: O(N · outH · outW · kh · kw · C).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let (n, h, w, c) = input.nhwc
        precondition(c == channels, "DepthwiseConv2D expects \(channels) channels, got \(c)")
        let (outH, padTop) = padding.geometry(input: h, kernel: kernelHeight, stride: stride)
        let (outW, padLeft) = padding.geometry(input: w, kernel: kernelWidth, stride: stride)
        // The kernel writes every value (bias first), so the array need not be zeroed.
        let output = [Float](unsafeUninitializedCapacity: n * outH * outW * c) { buffer, count in
            moodline_depthwise_conv_nhwc(
                input.data, Int32(n), Int32(h), Int32(w), Int32(c), weights, Int32(kernelHeight),
                Int32(kernelWidth), bias, Int32(stride), Int32(padTop), Int32(padLeft),
                buffer.baseAddress!, Int32(outH), Int32(outW))
            count = n * outH * outW * c
        }
        return Tensor(shape: [n, outH, outW, c], data: output)
    }
}
