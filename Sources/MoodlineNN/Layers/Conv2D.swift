import CKernels

/// A 2-D convolution over NHWC tensors: 3x3 stride-1 "same" convolutions of larger pictures with a multiple of 8
/// output channels (the classifier's first blocks) by a direct kernel, the rest as im2col (skipped for 1x1,
/// stride 1) and one `cblas_sgemm`.
public struct Conv2D: Sendable {
    public let kernelHeight: Int
    public let kernelWidth: Int
    public let inputChannels: Int
    public let outputChannels: Int
    public let stride: Int
    public let padding: Padding
    /// Whether a ReLU is applied to the output.
    public var fusedReLU: Bool
    /// `[kernelHeight * kernelWidth * inputChannels, outputChannels]`, row-major: the GEMM's right operand.
    private var weights: [Float]
    private var bias: [Float]

    /// From TFLite's OHWI kernel `[out, kh, kw, in]`.
    public init(ohwi kernel: Tensor, bias: Tensor?, stride: Int, padding: Padding, fusedReLU: Bool = false) {
        precondition(kernel.shape.count == 4, "OHWI kernel must have rank 4, got \(kernel.shape)")
        let (o, kh, kw, i) = (kernel.shape[0], kernel.shape[1], kernel.shape[2], kernel.shape[3])
        var packed = [Float](repeating: 0, count: kh * kw * i * o)
        for out in 0..<o {
            for k in 0..<(kh * kw * i) { packed[k * o + out] = kernel.data[out * kh * kw * i + k] }
        }
        self.init(
            kernelHeight: kh, kernelWidth: kw, inputChannels: i, outputChannels: o, packedWeights: packed,
            bias: bias?.data, stride: stride, padding: padding, fusedReLU: fusedReLU)
    }

    /// From an OIHW kernel `[out, in, kh, kw]` (dlib's and PyTorch's layout), repacked once here.
    public init(oihw kernel: Tensor, bias: Tensor?, stride: Int, padding: Padding, fusedReLU: Bool = false) {
        precondition(kernel.shape.count == 4, "OIHW kernel must have rank 4, got \(kernel.shape)")
        let (o, i, kh, kw) = (kernel.shape[0], kernel.shape[1], kernel.shape[2], kernel.shape[3])
        var packed = [Float](repeating: 0, count: kh * kw * i * o)
        for out in 0..<o {
            for c in 0..<i {
                for y in 0..<kh {
                    for x in 0..<kw {
                        packed[((y * kw + x) * i + c) * o + out] = kernel.data[((out * i + c) * kh + y) * kw + x]
                    }
                }
            }
        }
        self.init(
            kernelHeight: kh, kernelWidth: kw, inputChannels: i, outputChannels: o, packedWeights: packed,
            bias: bias?.data, stride: stride, padding: padding, fusedReLU: fusedReLU)
    }

    /// From Keras's HWIO kernel `[kh, kw, in, out]`, which is already the GEMM layout.
    public init(hwio kernel: Tensor, bias: Tensor?, stride: Int, padding: Padding, fusedReLU: Bool = false) {
        precondition(kernel.shape.count == 4, "HWIO kernel must have rank 4, got \(kernel.shape)")
        self.init(
            kernelHeight: kernel.shape[0], kernelWidth: kernel.shape[1], inputChannels: kernel.shape[2],
            outputChannels: kernel.shape[3], packedWeights: kernel.data, bias: bias?.data,
            stride: stride, padding: padding, fusedReLU: fusedReLU)
    }

    private init(
        kernelHeight: Int, kernelWidth: Int, inputChannels: Int, outputChannels: Int, packedWeights: [Float],
        bias: [Float]?, stride: Int, padding: Padding, fusedReLU: Bool
    ) {
        precondition(stride >= 1, "stride must be at least 1")
        precondition(bias == nil || bias!.count == outputChannels, "bias needs \(outputChannels) values")
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.stride = stride
        self.padding = padding
        self.fusedReLU = fusedReLU
        self.weights = packedWeights
        self.bias = bias ?? [Float](repeating: 0, count: outputChannels)
    }

    /// Scales each output channel and adds a shift: how a following batch norm is folded in at load time.
    public mutating func fold(scale: [Float], shift: [Float]) {
        BatchNorm.fold(scale: scale, shift: shift, intoWeights: &weights, bias: &bias, channels: outputChannels)
    }

    /// The convolution of an NHWC tensor.
    ///
    /// - Complexity: O(N · outH · outW · kh · kw · in · out).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let (_, h, w, c) = input.nhwc
        precondition(c == inputChannels, "Conv2D expects \(inputChannels) channels, got \(c)")
        return usesDirectKernel(height: h, width: w) ? direct3x3(input) : matrixProduct(input)
    }

    /// Whether a picture of this size goes to the direct 3x3 kernel rather than im2col and GEMM.
    func usesDirectKernel(height: Int, width: Int) -> Bool {
        canUseDirectKernel && height * width >= Self.directKernelMinimumPixels
    }

    /// Whether the direct 3x3 kernel can run this convolution at all, whatever the picture's size.
    var canUseDirectKernel: Bool {
        // At stride 1 a 3x3 window pads one pixel on each side by either rule.
        kernelHeight == 3 && kernelWidth == 3 && stride == 1 && padding != .valid && outputChannels % 8 == 0
    }

    /// The picture size from which the direct kernel runs. Measured on one core (AVX-512), 3x3 convolutions with
    /// 1 to 384 channels: at 24x24 and 48x48 the direct kernel took 0.35-0.83 of im2col and GEMM's time, whose
    /// im2col matrix (nine copies of the input) outgrows the cache; at 12x12 and 6x6, 1.04-1.45.
    static let directKernelMinimumPixels = 20 * 20

    /// The direct kernel: the input gets its one-pixel zero border, then each picture is convolved in C.
    func direct3x3(_ input: Tensor) -> Tensor {
        let (n, h, w, c) = input.nhwc
        let (paddedH, paddedW) = (h + 2, w + 2)
        // The kernel reads a block of 8 pixels past the last one of a row; the slack keeps that inside the buffer.
        // Zeroed for the border and the slack; made per call, so that one layer can run on several threads at once.
        var padded = [Float](repeating: 0, count: (paddedH * paddedW + 8) * c)
        // The kernel writes every output value (every row, every pixel of it, every channel chunk): no zero fill.
        let output = [Float](unsafeUninitializedCapacity: n * h * w * outputChannels) { out, initialized in
            input.data.withUnsafeBufferPointer { source in
                weights.withUnsafeBufferPointer { weights in
                    bias.withUnsafeBufferPointer { bias in
                        for b in 0..<n {
                            padded.withUnsafeMutableBufferPointer { target in
                                for y in 0..<h {
                                    (target.baseAddress! + ((y + 1) * paddedW + 1) * c)
                                        .update(from: source.baseAddress! + ((b * h + y) * w) * c, count: w * c)
                                }
                            }
                            moodline_conv3x3_nhwc(
                                padded, Int32(h), Int32(w), Int32(c), weights.baseAddress!, Int32(outputChannels),
                                bias.baseAddress!, fusedReLU ? 1 : 0, out.baseAddress! + b * h * w * outputChannels)
                        }
                    }
                }
            }
            initialized = n * h * w * outputChannels
        }
        return Tensor(shape: [n, h, w, outputChannels], data: output)
    }

    /// im2col (skipped for 1x1, stride 1) and one GEMM.
    func matrixProduct(_ input: Tensor) -> Tensor {
        let (n, h, w, c) = input.nhwc
        let (outH, padTop) = padding.geometry(input: h, kernel: kernelHeight, stride: stride)
        let (outW, padLeft) = padding.geometry(input: w, kernel: kernelWidth, stride: stride)
        let rows = n * outH * outW
        let depth = kernelHeight * kernelWidth * inputChannels
        let cout = outputChannels
        // Every value is written below (bias first, then the GEMM accumulates), so no zero fill is needed.
        var output = [Float](unsafeUninitializedCapacity: rows * cout) { buffer, initialized in
            bias.withUnsafeBufferPointer { bias in
                for r in 0..<rows { (buffer.baseAddress! + r * cout).initialize(from: bias.baseAddress!, count: cout) }
            }
            initialized = rows * cout
        }
        let pointwise = kernelHeight == 1 && kernelWidth == 1 && stride == 1
        if pointwise {
            input.data.withUnsafeBufferPointer { a in
                weights.withUnsafeBufferPointer { b in
                    output.withUnsafeMutableBufferPointer { out in
                        BLAS.multiplyAccumulate(
                            a.baseAddress!, b.baseAddress!, out.baseAddress!, m: rows, n: cout, k: depth)
                    }
                }
            }
        } else {
            let columns = im2col(
                input.data, n: n, h: h, w: w, c: c, outH: outH, outW: outW, padTop: padTop, padLeft: padLeft)
            columns.withUnsafeBufferPointer { a in
                weights.withUnsafeBufferPointer { b in
                    output.withUnsafeMutableBufferPointer { out in
                        BLAS.multiplyAccumulate(
                            a.baseAddress!, b.baseAddress!, out.baseAddress!, m: rows, n: cout, k: depth)
                    }
                }
            }
        }
        if fusedReLU { applyReLU(&output) }
        return Tensor(shape: [n, outH, outW, cout], data: output)
    }

    /// One row per output pixel, holding its receptive field (`kh × kw × c` values, zeros outside the input).
    ///
    /// Each value is written once, the taps outside the input as zeros, rather than zero-filling the whole
    /// matrix first: the matrix is megabytes for the first layers, and the fill cost as much as the copy.
    private func im2col(
        _ data: [Float], n: Int, h: Int, w: Int, c: Int, outH: Int, outW: Int,
        padTop: Int, padLeft: Int
    ) -> [Float] {
        let depth = kernelHeight * kernelWidth * c
        return [Float](unsafeUninitializedCapacity: n * outH * outW * depth) { buffer, initialized in
            let target = buffer.baseAddress!
            data.withUnsafeBufferPointer { sourceBuffer in
                let source = sourceBuffer.baseAddress!
                var row = target
                for b in 0..<n {
                    for oy in 0..<outH {
                        for ox in 0..<outW {
                            for ky in 0..<kernelHeight {
                                let kernelRow = row + ky * kernelWidth * c
                                let y = oy * stride + ky - padTop
                                guard y >= 0 && y < h else {
                                    kernelRow.initialize(repeating: 0, count: kernelWidth * c)
                                    continue
                                }
                                // The kernel row's columns inside the input are one contiguous run of pixels.
                                let x0 = ox * stride - padLeft
                                let firstTap = min(kernelWidth, max(0, -x0)),
                                    lastTap = max(firstTap, min(kernelWidth, w - x0))
                                kernelRow.initialize(repeating: 0, count: firstTap * c)
                                if firstTap < lastTap {
                                    (kernelRow + firstTap * c).initialize(
                                        from: source + ((b * h + y) * w + x0 + firstTap) * c,
                                        count: (lastTap - firstTap) * c)
                                }
                                (kernelRow + lastTap * c).initialize(repeating: 0, count: (kernelWidth - lastTap) * c)
                            }
                            row += depth
                        }
                    }
                }
            }
            initialized = buffer.count
        }
    }
}

/// Clamps negatives to zero in place.
func applyReLU(_ values: inout [Float]) {
    values.withUnsafeMutableBufferPointer { v in
        for i in v.indices { v[i] = max(v[i], 0) }
    }
}
