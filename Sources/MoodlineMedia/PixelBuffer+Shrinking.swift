extension PixelBuffer {
    /// The picture made smaller so that its longer side is at most `side` pixels (aspect kept), each new pixel the
    /// mean of the source pixels it covers: unlike a bilinear pick, a large reduction keeps fine detail from
    /// turning into noise. The picture itself when it already fits.
    ///
    /// - Complexity: O(width × height) of the source.
    public func shrunk(toFit side: Int) -> PixelBuffer {
        precondition(side > 0, "shrunk(toFit:) needs a positive side")
        guard max(width, height) > side else { return self }
        let scale = Double(side) / Double(max(width, height))
        let outWidth = max(1, Int((Double(width) * scale).rounded()))
        let outHeight = max(1, Int((Double(height) * scale).rounded()))
        let channels = layout.channels
        // Source columns and rows each output column and row covers (never empty).
        func spans(_ outCount: Int, _ count: Int) -> [Range<Int>] {
            (0..<outCount).map { i in
                let from = i * count / outCount
                return from..<max(from + 1, (i + 1) * count / outCount)
            }
        }
        let columns = spans(outWidth, width), rows = spans(outHeight, height)
        var out = [UInt8](repeating: 0, count: outWidth * outHeight * channels)
        var sums = [Int](repeating: 0, count: outWidth * channels)
        bytes.withUnsafeBufferPointer { source in
            for (y, rowSpan) in rows.enumerated() {
                for i in sums.indices { sums[i] = 0 }
                for sy in rowSpan {
                    let row = sy * width * channels
                    for (x, columnSpan) in columns.enumerated() {
                        for sx in columnSpan {
                            for c in 0..<channels { sums[x * channels + c] += Int(source[row + sx * channels + c]) }
                        }
                    }
                }
                for (x, columnSpan) in columns.enumerated() {
                    let count = columnSpan.count * rowSpan.count
                    for c in 0..<channels {
                        out[(y * outWidth + x) * channels + c] = UInt8((sums[x * channels + c] + count / 2) / count)
                    }
                }
            }
        }
        return PixelBuffer(width: outWidth, height: outHeight, layout: layout, bytes: out)
    }
}
