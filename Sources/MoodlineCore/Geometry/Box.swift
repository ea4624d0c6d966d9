/// An axis-aligned box in pixels: top-left corner and size.
public struct Box: Sendable, Equatable, Codable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var centre: Point { Point(x: x + width / 2, y: y + height / 2) }
    public var area: Double { max(width, 0) * max(height, 0) }

    /// Whether a point lies inside the box (edges included).
    public func contains(_ p: Point) -> Bool {
        p.x >= x && p.x <= x + width && p.y >= y && p.y <= y + height
    }

    /// Intersection over union with another box; 0 when either is empty.
    public func intersectionOverUnion(with other: Box) -> Double {
        let overlapWidth = max(0, min(x + width, other.x + other.width) - max(x, other.x))
        let overlapHeight = max(0, min(y + height, other.y + other.height) - max(y, other.y))
        let overlap = overlapWidth * overlapHeight
        let union = area + other.area - overlap
        return union > 0 ? overlap / union : 0
    }
}
