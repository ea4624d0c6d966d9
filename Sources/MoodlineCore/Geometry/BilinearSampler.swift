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
    public static func sampleFloats(
        _ source: PixelBuffer, width: Int, height: Int, outputToSource: AffineTransform,
        scale: Float, offset: Float, fill: Float
    ) -> [Float] {
        let channels = source.layout.channels
        var out = [Float](repeating: fill, count: width * height * channels)
        source.bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                forEachSample(
                    sourceWidth: source.width, sourceHeight: source.height, width: width, height: height,
                    map: outputToSource
                ) { o, p00, p01, p10, p11, w00, w01, w10, w11 in
                    for ch in 0..<channels {
                        let value =
                            Double(src[p00 * channels + ch]) * w00 + Double(src[p01 * channels + ch]) * w01
                            + Double(src[p10 * channels + ch]) * w10 + Double(src[p11 * channels + ch]) * w11
                        dst[o * channels + ch] = Float(value) * scale + offset
                    }
                }
            }
        }
        return out
    }

    /// Samples into an 8-bit buffer of the source's layout, rounding to the nearest value.
    public static func sample(
        _ source: PixelBuffer, width: Int, height: Int, outputToSource: AffineTransform,
        fill: UInt8 = 0
    ) -> PixelBuffer {
        let floats = sampleFloats(
            source, width: width, height: height, outputToSource: outputToSource,
            scale: 1, offset: 0, fill: Float(fill))
        return PixelBuffer(width: width, height: height, layout: source.layout, bytes: floats.map(roundedByte))
    }

    /// Samples a grey image from an RGB (or grey) source: each source pixel's BT.601 luma, rounded to a byte as
    /// a whole-frame grey conversion would give, is interpolated. Only the pixels sampled are converted.
    public static func sampleGrey(
        _ source: PixelBuffer, width: Int, height: Int, outputToSource: AffineTransform,
        fill: UInt8 = 0
    ) -> PixelBuffer {
        guard source.layout == .rgb else {
            return sample(source, width: width, height: height, outputToSource: outputToSource, fill: fill)
        }
        var out = [UInt8](repeating: fill, count: width * height)
        source.bytes.withUnsafeBufferPointer { rgb in
            out.withUnsafeMutableBufferPointer { dst in
                @inline(__always) func luma(_ p: Int) -> Double {
                    Double(PixelBuffer.luma(red: rgb[3 * p], green: rgb[3 * p + 1], blue: rgb[3 * p + 2]))
                }
                forEachSample(
                    sourceWidth: source.width, sourceHeight: source.height, width: width, height: height,
                    map: outputToSource
                ) { o, p00, p01, p10, p11, w00, w01, w10, w11 in
                    dst[o] = roundedByte(Float(luma(p00) * w00 + luma(p01) * w01 + luma(p10) * w10 + luma(p11) * w11))
                }
            }
        }
        return PixelBuffer(width: width, height: height, layout: .grey, bytes: out)
    }

    /// A plain resize to `width` x `height` (how a data set's face crops are brought to the model's size).
    public static func resize(_ source: PixelBuffer, width: Int, height: Int) -> PixelBuffer {
        let map = AffineTransform(
            a: Double(source.width) / Double(width), b: 0, c: 0,
            d: Double(source.height) / Double(height), tx: 0, ty: 0)
        return sample(source, width: width, height: height, outputToSource: map)
    }

    private static func roundedByte(_ value: Float) -> UInt8 {
        UInt8(min(max((value + 0.5).rounded(.down), 0), 255))
    }

    /// Calls `body` for each output pixel whose centre maps inside the source, with the output index, the four
    /// source pixel indices (clamped at the edges) and their bilinear weights.
    @inline(__always)
    private static func forEachSample(
        sourceWidth sw: Int, sourceHeight sh: Int, width: Int, height: Int, map m: AffineTransform,
        _ body: (Int, Int, Int, Int, Int, Double, Double, Double, Double) -> Void
    ) {
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
                body(
                    v * width + u, ya * sw + xa, ya * sw + xb, yb * sw + xa, yb * sw + xb,
                    (1 - dx) * (1 - dy), dx * (1 - dy), (1 - dx) * dy, dx * dy)
            }
        }
    }
}
