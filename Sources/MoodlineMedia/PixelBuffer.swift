/// The pixel layouts a decoded frame can be delivered in.
public enum PixelLayout: String, Sendable, Codable, CaseIterable {
    /// Three bytes per pixel: red, green, blue.
    case rgb
    /// One byte per pixel: luma.
    case grey

    /// Bytes per pixel.
    public var channels: Int { self == .rgb ? 3 : 1 }
}

/// An 8-bit image owned by Swift, rows packed with no padding. Frames leave the media layer as these.
public struct PixelBuffer: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let layout: PixelLayout
    /// Row-major pixels, `width * height * layout.channels` bytes.
    public var bytes: [UInt8]

    /// A buffer over existing bytes; traps if the count does not match the geometry (a programmer error).
    public init(width: Int, height: Int, layout: PixelLayout, bytes: [UInt8]) {
        precondition(width > 0 && height > 0, "PixelBuffer needs a positive size, got \(width)x\(height)")
        precondition(
            bytes.count == width * height * layout.channels,
            "PixelBuffer of \(width)x\(height) \(layout) needs \(width * height * layout.channels) bytes, got \(bytes.count)"
        )
        self.width = width
        self.height = height
        self.layout = layout
        self.bytes = bytes
    }

    /// A buffer filled with one value.
    public init(width: Int, height: Int, layout: PixelLayout, fill: UInt8 = 0) {
        self.init(
            width: width, height: height, layout: layout,
            bytes: [UInt8](repeating: fill, count: width * height * layout.channels))
    }

    /// Bytes per row.
    public var rowBytes: Int { width * layout.channels }

    /// The channel values of pixel (x, y).
    public func pixel(x: Int, y: Int) -> ArraySlice<UInt8> {
        let start = (y * width + x) * layout.channels
        return bytes[start..<start + layout.channels]
    }

    /// BT.601 luma of one RGB pixel: 0.299, 0.587, 0.114 in 16-bit fixed point, rounded.
    @inline(__always)
    public static func luma(red: UInt8, green: UInt8, blue: UInt8) -> UInt8 {
        let r: UInt32 = 19595 * UInt32(red), g: UInt32 = 38470 * UInt32(green), b: UInt32 = 7471 * UInt32(blue)
        return UInt8((r + g + b + 32768) >> 16)
    }

    /// The same picture in grey (ITU-R BT.601 luma, as FFmpeg and OpenCV compute it).
    public func greyscale() -> PixelBuffer {
        if layout == .grey { return self }
        var grey = [UInt8](repeating: 0, count: width * height)
        bytes.withUnsafeBufferPointer { rgb in
            grey.withUnsafeMutableBufferPointer { out in
                for i in 0..<(width * height) {
                    out[i] = Self.luma(red: rgb[3 * i], green: rgb[3 * i + 1], blue: rgb[3 * i + 2])
                }
            }
        }
        return PixelBuffer(width: width, height: height, layout: .grey, bytes: grey)
    }
}
