/// A point in pixels, x to the right, y down; (0, 0) is the top-left corner of the top-left pixel.
public struct Point: Sendable, Equatable, Codable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
