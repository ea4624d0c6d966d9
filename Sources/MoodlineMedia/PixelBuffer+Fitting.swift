extension PixelBuffer {
    /// The picture scaled (bilinear, aspect kept) to fit inside `width` x `height`, centred on black: how a copy of
    /// a video keeps frames whose size changed mid-stream, instead of leaving them out.
    ///
    /// - Complexity: O(width × height).
    public func fitted(width outWidth: Int, height outHeight: Int) -> PixelBuffer {
        if width == outWidth && height == outHeight { return self }
        var out = PixelBuffer(width: outWidth, height: outHeight, layout: layout)
        guard width > 0, height > 0, outWidth > 0, outHeight > 0 else { return out }
        let scale = min(Double(outWidth) / Double(width), Double(outHeight) / Double(height))
        let fitWidth = max(1, min(outWidth, Int((Double(width) * scale).rounded())))
        let fitHeight = max(1, min(outHeight, Int((Double(height) * scale).rounded())))
        let left = (outWidth - fitWidth) / 2, top = (outHeight - fitHeight) / 2
        let channels = layout.channels
        bytes.withUnsafeBufferPointer { source in
            out.bytes.withUnsafeMutableBufferPointer { target in
                for y in 0..<fitHeight {
                    // Pixel centres mapped back to the source, clamped at its edges.
                    let sy = min(max((Double(y) + 0.5) / scale - 0.5, 0), Double(height - 1))
                    let y0 = Int(sy), y1 = min(y0 + 1, height - 1), fy = sy - Double(y0)
                    for x in 0..<fitWidth {
                        let sx = min(max((Double(x) + 0.5) / scale - 0.5, 0), Double(width - 1))
                        let x0 = Int(sx), x1 = min(x0 + 1, width - 1), fx = sx - Double(x0)
                        let to = ((top + y) * outWidth + left + x) * channels
                        for c in 0..<channels {
                            func at(_ px: Int, _ py: Int) -> Double { Double(source[(py * width + px) * channels + c]) }
                            let value =
                                (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy)
                                + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy
                            target[to + c] = UInt8(min(255, max(0, value.rounded())))
                        }
                    }
                }
            }
        }
        return out
    }
}
