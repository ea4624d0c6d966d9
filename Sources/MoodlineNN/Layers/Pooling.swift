/// Max pooling over NHWC tensors; window positions outside the input are ignored (TensorFlow's SAME).
public struct MaxPool2D: Sendable {
    public let size: Int
    public let stride: Int
    public let padding: Padding

    public init(size: Int, stride: Int, padding: Padding) {
        self.size = size
        self.stride = stride
        self.padding = padding
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        let (n, h, w, c) = input.nhwc
        let (outH, padTop) = padding.geometry(input: h, kernel: size, stride: stride)
        let (outW, padLeft) = padding.geometry(input: w, kernel: size, stride: stride)
        var output = [Float](repeating: -.infinity, count: n * outH * outW * c)
        input.data.withUnsafeBufferPointer { sourceBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                let source = sourceBuffer.baseAddress!, out = outBuffer.baseAddress!
                for b in 0..<n {
                    for oy in 0..<outH {
                        for ox in 0..<outW {
                            let o = out + ((b * outH + oy) * outW + ox) * c
                            for ky in 0..<size {
                                let y = oy * stride + ky - padTop
                                guard y >= 0 && y < h else { continue }
                                for kx in 0..<size {
                                    let x = ox * stride + kx - padLeft
                                    guard x >= 0 && x < w else { continue }
                                    let s = source + ((b * h + y) * w + x) * c
                                    var ch = 0
                                    while ch + 8 <= c {
                                        let target = UnsafeMutableRawPointer(o + ch)
                                        let current = target.loadUnaligned(as: SIMD8<Float>.self)
                                        let candidate = UnsafeRawPointer(s + ch).loadUnaligned(as: SIMD8<Float>.self)
                                        // A compare-and-blend; the generic pointwiseMax is not specialised here.
                                        target.storeBytes(
                                            of: current.replacing(with: candidate, where: candidate .> current),
                                            as: SIMD8<Float>.self)
                                        ch += 8
                                    }
                                    while ch < c { o[ch] = max(o[ch], s[ch]); ch += 1 }
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

/// Average pooling over NHWC tensors; only window positions inside the input are averaged (TensorFlow's SAME,
/// and for VALID every window is whole, as in dlib's `avg_pool` without padding).
public struct AvgPool2D: Sendable {
    public let size: Int
    public let stride: Int
    public let padding: Padding

    public init(size: Int, stride: Int, padding: Padding) {
        precondition(size >= 1 && stride >= 1, "pool size and stride must be at least 1")
        self.size = size
        self.stride = stride
        self.padding = padding
    }

    /// The pooled tensor.
    ///
    /// - Complexity: O(N · outH · outW · size² · C).
    public func callAsFunction(_ input: Tensor) -> Tensor {
        let (n, h, w, c) = input.nhwc
        let (outH, padTop) = padding.geometry(input: h, kernel: size, stride: stride)
        let (outW, padLeft) = padding.geometry(input: w, kernel: size, stride: stride)
        var output = [Float](repeating: 0, count: n * outH * outW * c)
        input.data.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { out in
                for b in 0..<n {
                    for oy in 0..<outH {
                        let y0 = max(oy * stride - padTop, 0), y1 = min(oy * stride - padTop + size, h)
                        for ox in 0..<outW {
                            let x0 = max(ox * stride - padLeft, 0), x1 = min(ox * stride - padLeft + size, w)
                            let o = ((b * outH + oy) * outW + ox) * c
                            for y in y0..<y1 {
                                for x in x0..<x1 {
                                    let s = ((b * h + y) * w + x) * c
                                    for ch in 0..<c { out[o + ch] += source[s + ch] }
                                }
                            }
                            let count = Float(max((y1 - y0) * (x1 - x0), 1))
                            for ch in 0..<c { out[o + ch] /= count }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, outH, outW, c], data: output)
    }
}

/// The mean over height and width: `[N, H, W, C]` to `[N, C]`.
public func globalAveragePool(_ input: Tensor) -> Tensor {
    let (n, h, w, c) = input.nhwc
    var output = [Float](repeating: 0, count: n * c)
    for b in 0..<n {
        for p in 0..<(h * w) {
            let from = (b * h * w + p) * c
            for ch in 0..<c { output[b * c + ch] += input.data[from + ch] }
        }
    }
    let count = Float(h * w)
    for i in output.indices { output[i] /= count }
    return Tensor(shape: [n, c], data: output)
}
