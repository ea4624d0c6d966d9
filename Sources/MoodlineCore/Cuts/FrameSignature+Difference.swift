extension FrameSignature {
    /// Zoom factors tried between two pictures: a zoom of up to a quarter between samples is camera motion.
    static let zoomsTried: [Double] = [0.8, 1 / 1.12, 1, 1.12, 1.25]
    /// Shifts tried, in thumbnail cells each way (3 of 16: a pan of up to a fifth of the frame between samples).
    static let shiftCellsTried = 3
    /// The least share of the thumbnail two pictures must still share, at a zoom and shift, to be compared there.
    static let leastOverlap = 0.4
    /// Luma spread (standard deviation) below which a picture or its overlap is flat: its shape cannot be compared.
    static let flatSpread = 1.0

    /// How unlike this picture is to `earlier`, once the camera's own motion and exposure are allowed for: 0 for the
    /// same picture, about 0.5 and more for a different shot, at most 2.
    ///
    /// The measure is one minus the correlation of the two thumbnails, at the zoom and shift (among those of a pan or
    /// zoom between two samples) where they agree best. Correlation ignores a change of brightness or contrast (a
    /// flash, an exposure change); the search ignores a pan or a zoom. When a picture is flat (black, one colour),
    /// shapes cannot be compared, and the measure is twice the share of the histogram that moved instead.
    ///
    /// - Complexity: O(zooms · shifts² · side²), about 63,000 steps.
    public func difference(from earlier: FrameSignature) -> Double {
        let side = Self.side
        guard Self.spread(thumbnail) >= Self.flatSpread, Self.spread(earlier.thumbnail) >= Self.flatSpread else {
            return 2 * histogramDistance(from: earlier)
        }
        let centre = Double(side - 1) / 2
        let leastCells = Int(Self.leastOverlap * Double(side * side))
        var best: Double?
        var earlierValues = [Double](repeating: 0, count: side * side)
        var laterValues = [Double](repeating: 0, count: side * side)
        for zoom in Self.zoomsTried {
            for shiftY in -Self.shiftCellsTried...Self.shiftCellsTried {
                for shiftX in -Self.shiftCellsTried...Self.shiftCellsTried {
                    var count = 0
                    for row in 0..<side {
                        let y = (Double(row) - centre) / zoom + centre + Double(shiftY)
                        guard y >= 0, y <= Double(side - 1) else { continue }
                        for column in 0..<side {
                            let x = (Double(column) - centre) / zoom + centre + Double(shiftX)
                            guard x >= 0, x <= Double(side - 1) else { continue }
                            earlierValues[count] = earlier.bilinear(x: x, y: y)
                            laterValues[count] = Double(thumbnail[row * side + column])
                            count += 1
                        }
                    }
                    guard count >= leastCells,
                        let correlation = Self.correlation(earlierValues[..<count], laterValues[..<count])
                    else { continue }
                    best = min(best ?? 2, 1 - correlation)
                }
            }
        }
        // Every overlap flat: the pictures have shape, but not where they meet; their histograms still tell.
        return best ?? 2 * histogramDistance(from: earlier)
    }

    /// The share of pixels whose luma bin changed: half the summed absolute difference of the histograms, 0 to 1.
    public func histogramDistance(from earlier: FrameSignature) -> Double {
        zip(histogram, earlier.histogram).reduce(0) { $0 + abs(Double($1.0) - Double($1.1)) } / 2
    }

    private func bilinear(x: Double, y: Double) -> Double {
        let side = Self.side
        let left = min(Int(x), side - 2), top = min(Int(y), side - 2)
        let fx = x - Double(left), fy = y - Double(top)
        let value = { (column: Int, row: Int) in Double(thumbnail[row * side + column]) }
        let upper = value(left, top) * (1 - fx) + value(left + 1, top) * fx
        let lower = value(left, top + 1) * (1 - fx) + value(left + 1, top + 1) * fx
        return upper * (1 - fy) + lower * fy
    }

    private static func spread(_ values: [Float]) -> Double {
        let mean = values.reduce(0) { $0 + Double($1) } / Double(values.count)
        let variance = values.reduce(0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)
        return variance.squareRoot()
    }

    /// Pearson's correlation; nil when either side is flat.
    private static func correlation(_ a: ArraySlice<Double>, _ b: ArraySlice<Double>) -> Double? {
        let n = Double(a.count)
        let meanA = a.reduce(0, +) / n, meanB = b.reduce(0, +) / n
        var covariance = 0.0, varianceA = 0.0, varianceB = 0.0
        for (x, y) in zip(a, b) {
            covariance += (x - meanA) * (y - meanB)
            varianceA += (x - meanA) * (x - meanA)
            varianceB += (y - meanB) * (y - meanB)
        }
        let flat = flatSpread * flatSpread * n
        guard varianceA >= flat, varianceB >= flat else { return nil }
        return covariance / (varianceA * varianceB).squareRoot()
    }
}
