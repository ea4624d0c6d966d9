import CFFmpeg
import Foundation

/// Encodes pictures as JPEG in memory, with FFmpeg's own encoder: the photo report's thumbnails, a tenth the size
/// of an uncompressed bitmap at the quality a contact sheet needs.
public enum JPEGEncoder {
    /// The JPEG bytes of `picture` (grey pictures are encoded as colour with equal channels).
    ///
    /// - Parameter quantiser: FFmpeg's scale, 2 (best, largest) to 31; 6 is about a quality of 80 in other tools.
    /// - Throws: `MediaError` (code `ffmpeg`, path `what`) when FFmpeg cannot encode it.
    public static func encode(_ picture: PixelBuffer, quantiser: Int = 6, what: String = "thumbnail") throws -> [UInt8]
    {
        let rgb =
            picture.layout == .rgb
            ? picture
            : PixelBuffer(
                width: picture.width, height: picture.height, layout: .rgb,
                bytes: picture.bytes.flatMap { [$0, $0, $0] })
        var out: UnsafeMutablePointer<UInt8>?
        var size: Int32 = 0
        let code = rgb.bytes.withUnsafeBufferPointer {
            moodline_encode_jpeg(
                $0.baseAddress, Int32(rgb.width), Int32(rgb.height), Int32(rgb.rowBytes),
                Int32(min(max(quantiser, 2), 31)), &out, &size)
        }
        defer { free(out) }
        try checkFFmpeg(code, "moodline_encode_jpeg", path: what)
        guard let out, size > 0 else {
            throw MediaError(
                code: .ffmpeg, path: what, function: "moodline_encode_jpeg", message: "no picture came out")
        }
        return Array(UnsafeBufferPointer(start: out, count: Int(size)))
    }
}
