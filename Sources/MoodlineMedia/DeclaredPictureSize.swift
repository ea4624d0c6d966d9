import Foundation

/// The picture size a still image's header declares, read from its first bytes before FFmpeg decodes anything.
///
/// A decompression bomb is a small file that declares a huge picture: a 1.5 MB PNG of 14000x14000 16-bit RGBA
/// decodes to 1.6 GB, a 62-byte GIF whose logical screen is 14000x14000 to 800 MB. FFmpeg allocates the whole
/// picture while it probes the file, so the size must be judged from the header, before any decoder runs.
/// Formats read: PNG (IHDR), GIF (logical screen), JPEG (start of frame), WebP (VP8, VP8L, VP8X) and BMP. For other
/// formats the decoder's own pixel limit (`max_pixels`) still applies.
public struct DeclaredPictureSize: Sendable, Equatable, CustomStringConvertible {
    /// The format whose header was read ("png", "gif", "jpeg", "webp", "bmp").
    public let format: String
    public let width: Int
    public let height: Int
    /// Bytes per pixel of the picture the decoder makes (e.g. 8 for 16-bit RGBA, 1.5 for 4:2:0 JPEG).
    public let bytesPerPixel: Double

    /// Bytes the decoded picture takes.
    public var decodedBytes: Double { Double(width) * Double(height) * bytesPerPixel }

    /// `decodedBytes` as a whole number, saturating (a header may declare sides up to 2^31 each).
    public var decodedByteCount: Int { decodedBytes < Double(Int.max / 2) ? Int(decodedBytes.rounded(.up)) : .max }

    /// Pixels declared, saturating.
    public var pixels: Int {
        let (product, overflow) = width.multipliedReportingOverflow(by: height)
        return overflow ? .max : product
    }

    public var description: String { "\(width)x\(height) \(format)" }

    public init(format: String, width: Int, height: Int, bytesPerPixel: Double) {
        self.format = format
        self.width = width
        self.height = height
        self.bytesPerPixel = bytesPerPixel
    }

    /// The most leading bytes of a file read to find a header: a JPEG's start of frame can follow large metadata
    /// segments (an EXIF thumbnail, ICC profiles).
    public static let headerBytes = 512 * 1024

    /// The declared size of the picture in the file at `path` (from its leading bytes); nil as for `read(from:)`
    /// or when the file cannot be read.
    public static func read(fileAt path: String) -> DeclaredPictureSize? {
        read(from: leadingBytes(ofFile: path))
    }

    /// The first bytes of the file at `path` (fewer when it is shorter; none when it cannot be read): 64 KiB, which
    /// holds every header read here, and up to `headerBytes` only for a JPEG whose frame header comes after large
    /// metadata. Every file opened passes here, so most read no more than they need.
    static func leadingBytes(ofFile path: String) -> [UInt8] {
        guard let handle = fopen(path, "rb") else { return [] }
        defer { fclose(handle) }
        let firstRead = 64 * 1024
        var header = [UInt8](repeating: 0, count: headerBytes)
        var count = header.withUnsafeMutableBytes { fread($0.baseAddress, 1, firstRead, handle) }
        if count == firstRead, header.starts(with: [0xFF, 0xD8, 0xFF]), jpeg(Array(header.prefix(count))) == nil {
            count += header.withUnsafeMutableBytes {
                fread($0.baseAddress! + firstRead, 1, headerBytes - firstRead, handle)
            }
        }
        return Array(header.prefix(count))
    }

    /// The declared size, or nil when the bytes are not one of the formats read or the header is cut short.
    public static func read(from bytes: [UInt8]) -> DeclaredPictureSize? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return png(bytes) }
        if bytes.starts(with: Array("GIF87a".utf8)) || bytes.starts(with: Array("GIF89a".utf8)) { return gif(bytes) }
        if bytes.count > 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return jpeg(bytes) }
        if bytes.count >= 30, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return webp(bytes)
        }
        if bytes.count >= 30, bytes[0] == 0x42, bytes[1] == 0x4D { return bmp(bytes) }
        return nil
    }

    // MARK: - Formats

    private static func png(_ b: [UInt8]) -> DeclaredPictureSize? {
        // Signature (8), then the IHDR chunk: length (4), "IHDR", width, height, bit depth, colour type.
        guard b.count >= 26, Array(b[12..<16]) == Array("IHDR".utf8) else { return nil }
        let depth = Double(b[24]) <= 8 ? 1.0 : 2.0
        let channels: Double
        switch b[25] {
        case 0: channels = 1 // grey
        case 2: channels = 3 // RGB
        case 3: channels = 1 // palette: one index a pixel
        case 4: channels = 2 // grey and alpha
        default: channels = 4 // RGBA (6) and anything undefined, counted as the widest
        }
        return DeclaredPictureSize(
            format: "png", width: Int(bigEndian32(b, 16)), height: Int(bigEndian32(b, 20)),
            bytesPerPixel: channels * depth)
    }

    private static func gif(_ b: [UInt8]) -> DeclaredPictureSize? {
        // The logical screen: FFmpeg's GIF decoder allocates all of it for every frame, as 32-bit pixels.
        guard b.count >= 10 else { return nil }
        return DeclaredPictureSize(
            format: "gif", width: Int(littleEndian16(b, 6)), height: Int(littleEndian16(b, 8)), bytesPerPixel: 4)
    }

    private static func jpeg(_ b: [UInt8]) -> DeclaredPictureSize? {
        var offset = 2
        while offset + 4 <= b.count {
            guard b[offset] == 0xFF else { return nil }
            let marker = b[offset + 1]
            if marker == 0xFF { offset += 1; continue } // fill bytes
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { offset += 2; continue }
            let length = Int(bigEndian16(b, offset + 2))
            // Start of frame: every SOFn but DHT (C4), JPG (C8) and DAC (CC).
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard offset + 10 <= b.count else { return nil }
                let precision = Double(b[offset + 4]) > 8 ? 2.0 : 1.0
                let height = Int(bigEndian16(b, offset + 5)), width = Int(bigEndian16(b, offset + 7))
                let components = Int(b[offset + 9])
                // Each component's plane is subsampled by its sampling factors against the largest ones (4:2:0 gives
                // 1 + 1/4 + 1/4 bytes a pixel); components cut off count as full planes.
                var factors: [(h: Double, v: Double)] = []
                for index in 0..<components {
                    let at = offset + 11 + 3 * index
                    guard at < b.count else { break }
                    factors.append((Double(max(1, b[at] >> 4)), Double(max(1, b[at] & 0x0F))))
                }
                let maxH = factors.map(\.h).max() ?? 1, maxV = factors.map(\.v).max() ?? 1
                let planes =
                    factors.reduce(0) { $0 + ($1.h / maxH) * ($1.v / maxV) } + Double(components - factors.count)
                return DeclaredPictureSize(
                    format: "jpeg", width: width, height: height, bytesPerPixel: max(1, planes) * precision)
            }
            if marker == 0xDA || length < 2 { return nil } // image data before any frame header: not a JPEG we can size
            offset += 2 + length
        }
        return nil
    }

    private static func webp(_ b: [UInt8]) -> DeclaredPictureSize? {
        let chunk = Array(b[12..<16])
        if chunk == Array("VP8X".utf8) {
            // Canvas size minus one, 24 bits each, at 24 and 27.
            let width = Int(b[24]) | Int(b[25]) << 8 | Int(b[26]) << 16
            let height = Int(b[27]) | Int(b[28]) << 8 | Int(b[29]) << 16
            return DeclaredPictureSize(format: "webp", width: width + 1, height: height + 1, bytesPerPixel: 4)
        }
        if chunk == Array("VP8L".utf8), b[20] == 0x2F {
            let bits = UInt32(b[21]) | UInt32(b[22]) << 8 | UInt32(b[23]) << 16 | UInt32(b[24]) << 24
            return DeclaredPictureSize(
                format: "webp", width: Int(bits & 0x3FFF) + 1, height: Int((bits >> 14) & 0x3FFF) + 1, bytesPerPixel: 4)
        }
        if chunk == Array("VP8 ".utf8), b[23] == 0x9D, b[24] == 0x01, b[25] == 0x2A {
            return DeclaredPictureSize(
                format: "webp", width: Int(littleEndian16(b, 26) & 0x3FFF),
                height: Int(littleEndian16(b, 28) & 0x3FFF), bytesPerPixel: 4)
        }
        return nil
    }

    private static func bmp(_ b: [UInt8]) -> DeclaredPictureSize? {
        // BITMAPINFOHEADER or larger: width and height as signed 32-bit (a negative height is top-down).
        guard littleEndian32(b, 14) >= 40 else { return nil }
        let width = Int(Int32(bitPattern: littleEndian32(b, 18))),
            height = Int(Int32(bitPattern: littleEndian32(b, 22)))
        return DeclaredPictureSize(format: "bmp", width: abs(width), height: abs(height), bytesPerPixel: 4)
    }

    // MARK: - Bytes

    private static func bigEndian32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    private static func bigEndian16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) << 8 | UInt16(b[at + 1]) }
    private static func littleEndian16(_ b: [UInt8], _ at: Int) -> UInt16 { UInt16(b[at]) | UInt16(b[at + 1]) << 8 }

    private static func littleEndian32(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }
}

extension DeclaredPictureSize {
    /// Throws `imageTooLarge` when the declared picture is over `options`' limits, saying what was declared.
    public func check(path: String, options: DecoderOptions) throws {
        let pixels = Double(width) * Double(height)
        if pixels > Double(options.maxPixels) {
            throw MediaError(
                code: .imageTooLarge, path: path,
                message:
                    "the \(format) header declares a picture of \(width)x\(height), over the limit of \(options.maxPixels) pixels; not decoded"
            )
        }
        if decodedBytes > Double(options.maxPictureBytes) {
            throw MediaError(
                code: .imageTooLarge, path: path,
                message:
                    "the \(format) header declares a picture of \(width)x\(height) that would take \(Self.megabytes(decodedBytes)) to decode, "
                    + "over the limit of \(Self.megabytes(Double(options.maxPictureBytes))); not decoded")
        }
    }

    private static func megabytes(_ bytes: Double) -> String { "\(Int((bytes / 1_048_576).rounded())) MB" }
}
