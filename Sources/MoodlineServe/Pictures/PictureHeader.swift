/// The size a JPEG or PNG declares in its header, read without decoding a pixel, so that a picture can be
/// refused, or its memory reserved, before a decoder allocates for it: a few kilobytes of PNG can declare
/// 14000x14000 16-bit pixels, over 1.5 GB once decoded.
struct PictureHeader: Equatable {
    let width: Int
    let height: Int
    /// Bytes per pixel as stored (a 16-bit RGBA PNG: 8).
    let bytesPerPixel: Int

    /// Saturating: a header may declare sides up to 2^31 each.
    var pixels: Int {
        let (product, overflow) = width.multipliedReportingOverflow(by: height)
        return overflow ? .max : product
    }

    /// Bytes a decoder needs for the picture: at least 4 a pixel (what it is converted to), more when stored wider.
    var decodedBytes: Int {
        let (product, overflow) = pixels.multipliedReportingOverflow(by: max(4, bytesPerPixel))
        return overflow ? .max : product
    }

    /// The header of the picture whose bytes `read(offset, count)` gives (fewer bytes at the end); nil when they
    /// are neither a JPEG nor a PNG, or the header is cut short or damaged.
    static func read(_ read: (Int, Int) -> [UInt8]) -> PictureHeader? {
        let start = read(0, 33)
        if start.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return png(start) }
        if start.count > 3, start[0] == 0xFF, start[1] == 0xD8, start[2] == 0xFF { return jpeg(read) }
        return nil
    }

    /// The header of a picture held in memory.
    static func read(_ bytes: [UInt8]) -> PictureHeader? {
        read { offset, count in
            guard offset < bytes.count else { return [] }
            return Array(bytes[offset..<min(bytes.count, offset + count)])
        }
    }

    /// PNG: the IHDR chunk always comes first (signature, length, "IHDR", width, height, depth, colour type).
    private static func png(_ bytes: [UInt8]) -> PictureHeader? {
        guard bytes.count >= 26, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        let width = Int(bigEndian: bytes, at: 16, count: 4), height = Int(bigEndian: bytes, at: 20, count: 4)
        let depth = Int(bytes[24])
        let channels: Int
        switch bytes[25] {
        case 0: channels = 1  // grey
        case 2: channels = 3  // RGB
        case 3: channels = 1  // palette
        case 4: channels = 2  // grey and alpha
        case 6: channels = 4  // RGBA
        default: return nil
        }
        guard width > 0, height > 0, [1, 2, 4, 8, 16].contains(depth) else { return nil }
        return PictureHeader(width: width, height: height, bytesPerPixel: max(1, channels * depth / 8))
    }

    /// JPEG: segments from the start to the first start-of-frame marker, which holds the size.
    private static func jpeg(_ read: (Int, Int) -> [UInt8]) -> PictureHeader? {
        var offset = 2
        // Bounded: a damaged file must not keep the reader going.
        for _ in 0..<1000 {
            let marker = read(offset, 4)
            guard marker.count == 4, marker[0] == 0xFF else { return nil }
            if marker[1] == 0xFF {
                offset += 1  // fill byte
                continue
            }
            let length = Int(bigEndian: marker, at: 2, count: 2)
            guard length >= 2 else { return nil }
            // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC).
            if (0xC0...0xCF).contains(marker[1]), ![0xC4, 0xC8, 0xCC].contains(marker[1]) {
                let frame = read(offset + 4, 6)
                guard frame.count == 6 else { return nil }
                let height = Int(bigEndian: frame, at: 1, count: 2), width = Int(bigEndian: frame, at: 3, count: 2)
                let components = Int(frame[5])
                guard width > 0, height > 0, components > 0 else { return nil }
                return PictureHeader(width: width, height: height, bytesPerPixel: components * (frame[0] > 8 ? 2 : 1))
            }
            offset += 2 + length
        }
        return nil
    }
}

private extension Int {
    init(bigEndian bytes: [UInt8], at offset: Int, count: Int) {
        self = bytes[offset..<offset + count].reduce(0) { $0 << 8 | Int($1) }
    }
}
