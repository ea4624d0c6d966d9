/// Bilinear resize of an NHWC tensor with half-pixel centres (TensorFlow `align_corners=false,
/// half_pixel_centers=true`), computed as TFLite's reference kernel does.
public func resizeBilinear(_ input: Tensor, height outH: Int, width outW: Int) -> Tensor {
    let (n, h, w, c) = input.nhwc
    let scaleY = Float(h) / Float(outH), scaleX = Float(w) / Float(outW)
    var output = [Float](repeating: 0, count: n * outH * outW * c)
    for b in 0..<n {
        for oy in 0..<outH {
            let inY = (Float(oy) + 0.5) * scaleY - 0.5
            let y0 = max(Int(inY.rounded(.down)), 0), y1 = min(Int(inY.rounded(.up)), h - 1)
            let dy = inY - Float(y0)
            for ox in 0..<outW {
                let inX = (Float(ox) + 0.5) * scaleX - 0.5
                let x0 = max(Int(inX.rounded(.down)), 0), x1 = min(Int(inX.rounded(.up)), w - 1)
                let dx = inX - Float(x0)
                let o = ((b * outH + oy) * outW + ox) * c
                let p00 = ((b * h + y0) * w + x0) * c, p01 = ((b * h + y0) * w + x1) * c
                let p10 = ((b * h + y1) * w + x0) * c, p11 = ((b * h + y1) * w + x1) * c
                for ch in 0..<c {
                    output[o + ch] =
                        input.data[p00 + ch] * (1 - dy) * (1 - dx) + input.data[p10 + ch] * dy * (1 - dx)
                        + input.data[p01 + ch] * (1 - dy) * dx + input.data[p11 + ch] * dy * dx
                }
            }
        }
    }
    return Tensor(shape: [n, outH, outW, c], data: output)
}
