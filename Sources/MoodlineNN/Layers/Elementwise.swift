import Foundation

/// `max(x, 0)`.
public func relu(_ input: Tensor) -> Tensor {
    var out = input
    applyReLU(&out.data)
    return out
}

/// The logistic function `1 / (1 + e^-x)` of every value (a heat map's scores).
public func sigmoid(_ input: Tensor) -> Tensor {
    var out = input
    for i in out.data.indices {
        // Clamped: e^88 is the largest float exponential; beyond it the result is 0 or 1 anyway.
        out.data[i] = 1 / (1 + exp(-min(max(out.data[i], -88), 88)))
    }
    return out
}

/// Parametric ReLU: `x` for positives, `alpha[c] * x` for negatives, one slope per channel.
public func prelu(_ input: Tensor, alpha: [Float]) -> Tensor {
    let c = alpha.count
    precondition(input.shape.last == c, "PReLU has \(c) slopes for shape \(input.shape)")
    var out = input
    for i in out.data.indices where out.data[i] < 0 { out.data[i] *= alpha[i % c] }
    return out
}

/// Element-wise sum of two tensors of the same shape.
public func add(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "add needs equal shapes, got \(a.shape) and \(b.shape)")
    var out = b
    addPadded(a, padding: 0, into: &out, relu: false)
    return out
}

/// The sum of two NHWC tensors that may differ in size, as dlib's `add_prev` adds them: the result has the larger
/// of each dimension, and each input counts as zero outside its own extent (its picture sits at the top left, its
/// channels first). Optionally followed by a ReLU in the same pass.
///
/// - Complexity: O(N · H · W · C) of the result.
public func addZeroPadded(_ a: Tensor, _ b: Tensor, relu: Bool = false) -> Tensor {
    let (n, ha, wa, ca) = a.nhwc
    let (nb, hb, wb, cb) = b.nhwc
    precondition(n == nb, "addZeroPadded needs equal batch sizes, got \(a.shape) and \(b.shape)")
    if ha == hb && wa == wb && ca == cb {
        var out = b
        addPadded(a, padding: 0, into: &out, relu: relu)
        return out
    }
    let (h, w, c) = (max(ha, hb), max(wa, wb), max(ca, cb))
    var output = [Float](repeating: 0, count: n * h * w * c)
    for (source, sh, sw, sc) in [(a, ha, wa, ca), (b, hb, wb, cb)] {
        for i in 0..<n {
            for y in 0..<sh {
                for x in 0..<sw {
                    let from = ((i * sh + y) * sw + x) * sc, to = ((i * h + y) * w + x) * c
                    for ch in 0..<sc { output[to + ch] += source.data[from + ch] }
                }
            }
        }
    }
    if relu { applyReLU(&output) }
    return Tensor(shape: [n, h, w, c], data: output)
}

/// Adds `first`, with `padding` zero channels appended, into `target`, then optionally applies a ReLU: one pass.
func addPadded(_ first: Tensor, padding: Int, into target: inout Tensor, relu: Bool) {
    let c = first.shape.last ?? 0, outC = c + padding
    precondition(
        Array(first.shape.dropLast()) == Array(target.shape.dropLast()) && target.shape.last == outC,
        "cannot add \(first.shape) padded by \(padding) to \(target.shape)")
    first.data.withUnsafeBufferPointer { a in
        target.data.withUnsafeMutableBufferPointer { o in
            let source = a.baseAddress!, out = o.baseAddress!
            let pixels = o.count / max(outC, 1)
            for p in 0..<pixels {
                let row = out + p * outC, add = source + p * c
                var ch = 0
                while ch + 8 <= c {
                    let slot = UnsafeMutableRawPointer(row + ch)
                    var sum =
                        slot.loadUnaligned(as: SIMD8<Float>.self)
                        + UnsafeRawPointer(add + ch).loadUnaligned(as: SIMD8<Float>.self)
                    if relu { sum.replace(with: 0, where: sum .< 0) }
                    slot.storeBytes(of: sum, as: SIMD8<Float>.self)
                    ch += 8
                }
                while ch < c {
                    row[ch] += add[ch]
                    if relu && row[ch] < 0 { row[ch] = 0 }
                    ch += 1
                }
                if relu {
                    // The padded channels received nothing; they still pass through the ReLU.
                    while ch < outC { if row[ch] < 0 { row[ch] = 0 }; ch += 1 }
                }
            }
        }
    }
}

/// Appends `extra` zero channels to an NHWC tensor (BlazeFace's residual connections when channels grow).
public func padChannels(_ input: Tensor, extra: Int) -> Tensor {
    let (n, h, w, c) = input.nhwc
    let outC = c + extra
    var output = [Float](repeating: 0, count: n * h * w * outC)
    input.data.withUnsafeBufferPointer { source in
        output.withUnsafeMutableBufferPointer { out in
            for p in 0..<(n * h * w) {
                for ch in 0..<c { out[p * outC + ch] = source[p * c + ch] }
            }
        }
    }
    return Tensor(shape: [n, h, w, outC], data: output)
}

/// Softmax over the last axis.
public func softmax(_ input: Tensor) -> Tensor {
    guard let c = input.shape.last, c > 0 else { return input }
    var out = input
    for start in stride(from: 0, to: out.count, by: c) {
        let row = start..<(start + c)
        let peak = out.data[row].max() ?? 0
        var sum: Float = 0
        for i in row {
            out.data[i] = exp(out.data[i] - peak)
            sum += out.data[i]
        }
        for i in row { out.data[i] /= sum }
    }
    return out
}
