/// A 2-D affine map `p' = (a·x + b·y + tx, c·x + d·y + ty)`, used to go between a crop and its source frame.
public struct AffineTransform: Sendable, Equatable, Codable {
    public var a: Double, b: Double, c: Double, d: Double, tx: Double, ty: Double

    public init(a: Double, b: Double, c: Double, d: Double, tx: Double, ty: Double) {
        (self.a, self.b, self.c, self.d, self.tx, self.ty) = (a, b, c, d, tx, ty)
    }

    public static let identity = AffineTransform(a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0)

    /// Uniform scale then translation: `p' = s·p + t`.
    public static func scaleThenTranslate(scale: Double, tx: Double, ty: Double) -> AffineTransform {
        AffineTransform(a: scale, b: 0, c: 0, d: scale, tx: tx, ty: ty)
    }

    public func apply(_ p: Point) -> Point {
        Point(x: a * p.x + b * p.y + tx, y: c * p.x + d * p.y + ty)
    }

    /// The inverse map; nil when the transform is singular.
    public var inverse: AffineTransform? {
        let det = a * d - b * c
        guard abs(det) > 1e-12 else { return nil }
        let ia = d / det, ib = -b / det, ic = -c / det, id = a / det
        return AffineTransform(a: ia, b: ib, c: ic, d: id, tx: -(ia * tx + ib * ty), ty: -(ic * tx + id * ty))
    }

    /// This map followed by a uniform scale of the result.
    public func scaled(by factor: Double) -> AffineTransform {
        AffineTransform(a: a * factor, b: b * factor, c: c * factor, d: d * factor, tx: tx * factor, ty: ty * factor)
    }

    /// The scale factor (square root of the determinant's magnitude).
    public var scale: Double { abs(a * d - b * c).squareRoot() }
}
