extension AffineTransform {
    /// The similarity transform (rotation, uniform scale, translation) that takes `from` closest to `to` in the least
    /// squares sense: the closed form of Umeyama's method in two dimensions, which dlib's
    /// `find_similarity_transform` computes by SVD. Nil when `from` has fewer than two distinct points.
    ///
    /// - Complexity: O(n) for n point pairs.
    public static func leastSquaresSimilarity(from: [Point], to: [Point]) -> AffineTransform? {
        precondition(from.count == to.count, "a similarity fit needs point pairs: \(from.count) and \(to.count)")
        let n = Double(from.count)
        guard n >= 2 else { return nil }
        let fromMean = Point(x: from.map(\.x).reduce(0, +) / n, y: from.map(\.y).reduce(0, +) / n)
        let toMean = Point(x: to.map(\.x).reduce(0, +) / n, y: to.map(\.y).reduce(0, +) / n)
        var spread = 0.0, dot = 0.0, cross = 0.0
        for (p, q) in zip(from, to) {
            let (px, py) = (p.x - fromMean.x, p.y - fromMean.y)
            let (qx, qy) = (q.x - toMean.x, q.y - toMean.y)
            spread += px * px + py * py
            dot += px * qx + py * qy
            cross += px * qy - py * qx
        }
        guard spread > 1e-12 else { return nil }
        // to ≈ [a −b; b a]·from + t
        let a = dot / spread, b = cross / spread
        return AffineTransform(
            a: a, b: -b, c: b, d: a,
            tx: toMean.x - (a * fromMean.x - b * fromMean.y), ty: toMean.y - (b * fromMean.x + a * fromMean.y))
    }
}
