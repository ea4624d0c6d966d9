import MoodlineMedia

/// Resamples a pixel buffer through an affine map with bilinear interpolation.
///
/// Output pixel (u, v) takes its value from the source at `outputToSource((u + 0.5, v + 0.5))` (pixel centres),
/// interpolating the four nearest source pixels and clamping at the edges. Output pixels whose centre maps
/// outside the source take `fill`. Letterboxing for the detector and eye alignment for the classifier both use it.
public enum BilinearSampler {
    /// Samples into floats, each channel mapped by `value * scale + offset` (the models' normalisation).
    ///
    /// - Complexity: O(width · height · channels).
    public static func sampleFloats(_ source: PixelBuffer, width: Int, height: Int, outputToSource: AffineTransform,
                                    scale: Float, offset: Float, fill: Float) -> [Float] {
        let channels = source.layout.channels
        var out = [Float](repeating: fill, count: width * height * channels)
        let sw = source.width, sh = source.height
        let m = outputToSource
        source.bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for v in 0..<height {
                    let cy = Double(v) + 0.5
                    for u in 0..<width {
                        let cx = Double(u) + 0.5
                        let px = m.a * cx + m.b * cy + m.tx
                        let py = m.c * cx + m.d * cy + m.ty
                        guard px >= 0, px < Double(sw), py >= 0, py < Double(sh) else { continue }
                        let sx = px - 0.5, sy = py - 0.5
                        let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                        let dx = sx - Double(x0), dy = sy - Double(y0)
                        let xa = min(max(x0, 0), sw - 1), xb = min(max(x0 + 1, 0), sw - 1)
                        let ya = min(max(y0, 0), sh - 1), yb = min(max(y0 + 1, 0), sh - 1)
                        let w00 = (1 - dx) * (1 - dy), w01 = dx * (1 - dy), w10 = (1 - dx) * dy, w11 = dx * dy
                        let o = (v * width + u) * channels
                        let p00 = (ya * sw + xa) * channels, p01 = (ya * sw + xb) * channels
                        let p10 = (yb * sw + xa) * channels, p11 = (yb * sw + xb) * channels
                        for ch in 0..<channels {
                            let value = Double(src[p00 + ch]) * w00 + Double(src[p01 + ch]) * w01
                                + Double(src[p10 + ch]) * w10 + Double(src[p11 + ch]) * w11
                            dst[o + ch] = Float(value) * scale + offset
                        }
                    }
                }
            }
        }
        return out
    }

    /// Samples into an 8-bit buffer of the source's layout, rounding to the nearest value.
    public static func sample(_ source: PixelBuffer, width: Int, height: Int, outputToSource: AffineTransform,
                              fill: UInt8 = 0) -> PixelBuffer {
        let floats = sampleFloats(source, width: width, height: height, outputToSource: outputToSource,
                                  scale: 1, offset: 0, fill: Float(fill))
        let bytes = floats.map { UInt8(min(max(($0 + 0.5).rounded(.down), 0), 255)) }
        return PixelBuffer(width: width, height: height, layout: source.layout, bytes: bytes)
    }

    /// A plain resize to `width` x `height` (how a data set's face crops are brought to the model's size).
    public static func resize(_ source: PixelBuffer, width: Int, height: Int) -> PixelBuffer {
        let map = AffineTransform(a: Double(source.width) / Double(width), b: 0, c: 0,
                                  d: Double(source.height) / Double(height), tx: 0, ty: 0)
        return sample(source, width: width, height: height, outputToSource: map)
    }
}
