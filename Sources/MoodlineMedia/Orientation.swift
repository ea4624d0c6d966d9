/// How a stored picture must be turned to be seen upright: a clockwise rotation, then an optional mirror.
///
/// Video carries this as a display matrix; photos as an EXIF orientation tag.
public struct Orientation: Sendable, Equatable, Codable {
    /// Clockwise rotation in degrees: 0, 90, 180 or 270.
    public let clockwiseDegrees: Int
    /// Whether the rotated picture is then mirrored left to right.
    public let mirrored: Bool

    public static let upright = Orientation(clockwiseDegrees: 0, mirrored: false)

    public init(clockwiseDegrees: Int, mirrored: Bool = false) {
        let normalised = ((clockwiseDegrees % 360) + 360) % 360
        precondition(normalised % 90 == 0, "rotation must be a multiple of 90 degrees, got \(clockwiseDegrees)")
        self.clockwiseDegrees = normalised
        self.mirrored = mirrored
    }

    /// The orientation for an EXIF `Orientation` value (1-8); nil for anything else.
    public init?(exifValue: Int) {
        switch exifValue {
        case 1: self.init(clockwiseDegrees: 0)
        case 2: self.init(clockwiseDegrees: 0, mirrored: true)
        case 3: self.init(clockwiseDegrees: 180)
        case 4: self.init(clockwiseDegrees: 180, mirrored: true)
        case 5: self.init(clockwiseDegrees: 90, mirrored: true)
        case 6: self.init(clockwiseDegrees: 90)
        case 7: self.init(clockwiseDegrees: 270, mirrored: true)
        case 8: self.init(clockwiseDegrees: 270)
        default: return nil
        }
    }

    /// Whether width and height trade places.
    public var swapsAxes: Bool { clockwiseDegrees == 90 || clockwiseDegrees == 270 }

    /// The displayed size of a stored picture of `width` x `height`.
    public func displayedSize(width: Int, height: Int) -> (width: Int, height: Int) {
        swapsAxes ? (height, width) : (width, height)
    }

    /// The picture turned upright.
    ///
    /// - Complexity: O(pixels); the identity returns the buffer unchanged.
    public func apply(to buffer: PixelBuffer) -> PixelBuffer {
        if clockwiseDegrees == 0 && !mirrored { return buffer }
        let (outWidth, outHeight) = displayedSize(width: buffer.width, height: buffer.height)
        let channels = buffer.layout.channels
        let inWidth = buffer.width, inHeight = buffer.height
        var out = [UInt8](repeating: 0, count: buffer.bytes.count)
        buffer.bytes.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for outY in 0..<outHeight {
                    for outX in 0..<outWidth {
                        let x = mirrored ? outWidth - 1 - outX : outX
                        // Map the displayed (x, outY) back to the stored pixel.
                        let sx: Int, sy: Int
                        switch clockwiseDegrees {
                        case 90: sx = outY; sy = inHeight - 1 - x
                        case 180: sx = inWidth - 1 - x; sy = inHeight - 1 - outY
                        case 270: sx = inWidth - 1 - outY; sy = x
                        default: sx = x; sy = outY
                        }
                        let from = (sy * inWidth + sx) * channels
                        let to = (outY * outWidth + outX) * channels
                        for c in 0..<channels { target[to + c] = source[from + c] }
                    }
                }
            }
        }
        return PixelBuffer(width: outWidth, height: outHeight, layout: buffer.layout, bytes: out)
    }
}
