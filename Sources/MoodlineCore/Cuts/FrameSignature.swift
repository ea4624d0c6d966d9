import MoodlineMedia

/// A small summary of a picture's luma, made where the pixels are and carried with the frame, so the ordered end of
/// the pipeline can tell shot cuts apart without the pictures: a thumbnail of block means and a luma histogram.
public struct FrameSignature: Sendable, Equatable {
    /// Cells on each side of the thumbnail.
    public static let side = 16
    /// Bins of the luma histogram.
    public static let bins = 64

    /// Mean luma (0–255) of each of `side × side` blocks, row by row.
    public let thumbnail: [Float]
    /// Share of the sampled pixels in each of `bins` equal luma ranges; the shares add up to 1.
    public let histogram: [Float]

    /// A signature from values already made (for tests); traps when the counts are wrong (a programmer error).
    public init(thumbnail: [Float], histogram: [Float]) {
        precondition(thumbnail.count == Self.side * Self.side, "a thumbnail has \(Self.side * Self.side) cells")
        precondition(histogram.count == Self.bins, "a histogram has \(Self.bins) bins")
        self.thumbnail = thumbnail
        self.histogram = histogram
    }

    /// The signature of `picture` (RGB or grey).
    ///
    /// Each block is read on a grid of at most about 8 × 8 pixels, so the cost does not grow with the picture.
    ///
    /// - Complexity: O(side² · 64), whatever the picture's size.
    public init(of picture: PixelBuffer) {
        let side = Self.side
        var thumbnail = [Float](repeating: 0, count: side * side)
        var counts = [Int](repeating: 0, count: Self.bins)
        var sampled = 0
        let channels = picture.layout.channels
        picture.bytes.withUnsafeBufferPointer { bytes in
            for row in 0..<side {
                // A picture smaller than the thumbnail gives blocks of one pixel, read again by its neighbours.
                let top = row * picture.height / side
                let bottom = max(top + 1, (row + 1) * picture.height / side)
                let stepY = max(1, (bottom - top) / 8)
                for column in 0..<side {
                    let left = column * picture.width / side
                    let right = max(left + 1, (column + 1) * picture.width / side)
                    let stepX = max(1, (right - left) / 8)
                    var sum = 0, count = 0
                    for y in stride(from: top, to: bottom, by: stepY) {
                        for x in stride(from: left, to: right, by: stepX) {
                            let start = (y * picture.width + x) * channels
                            let luma =
                                channels == 3
                                ? Int(
                                    PixelBuffer.luma(red: bytes[start], green: bytes[start + 1], blue: bytes[start + 2])
                                )
                                : Int(bytes[start])
                            sum += luma
                            count += 1
                            counts[luma * Self.bins / 256] += 1
                        }
                    }
                    thumbnail[row * side + column] = Float(sum) / Float(count)
                    sampled += count
                }
            }
        }
        self.init(thumbnail: thumbnail, histogram: counts.map { Float($0) / Float(sampled) })
    }
}
