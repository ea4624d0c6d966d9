import Foundation
import MoodlineMedia

/// A small grey picture as a `data:` URL the report embeds: an 8-bit BMP with a grey palette, which every browser
/// shows and which needs no compressor.
enum Thumbnail {
    /// `data:image/bmp;base64,…` for a grey (or RGB, made grey) picture.
    static func dataURL(_ picture: PixelBuffer) -> String {
        "data:image/bmp;base64," + Data(bmp(picture.greyscale())).base64EncodedString()
    }

    /// The BMP file: 14-byte file header, 40-byte info header, 256-entry palette, rows bottom-up padded to 4 bytes.
    static func bmp(_ grey: PixelBuffer) -> [UInt8] {
        let rowBytes = (grey.width + 3) / 4 * 4
        let pixelOffset = 14 + 40 + 256 * 4
        let size = pixelOffset + rowBytes * grey.height
        var out: [UInt8] = []
        out.reserveCapacity(size)
        func le32(_ v: Int) {
            for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> shift)) }
        }
        func le16(_ v: Int) { out.append(UInt8(truncatingIfNeeded: v)); out.append(UInt8(truncatingIfNeeded: v >> 8)) }
        out += [0x42, 0x4D]
        le32(size); le32(0); le32(pixelOffset)
        le32(40); le32(grey.width); le32(grey.height); le16(1); le16(8); le32(0); le32(rowBytes * grey.height)
        le32(2835); le32(2835); le32(256); le32(0)
        for level in 0..<256 { out += [UInt8(level), UInt8(level), UInt8(level), 0] }
        for y in stride(from: grey.height - 1, through: 0, by: -1) {
            out += grey.bytes[y * grey.width..<(y + 1) * grey.width]
            out += [UInt8](repeating: 0, count: rowBytes - grey.width)
        }
        return out
    }
}
