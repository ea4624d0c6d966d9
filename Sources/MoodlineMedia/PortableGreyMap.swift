/// The binary PGM format (P5, 8-bit): the simplest grey image file, readable by every image library, for crops.
public enum PortableGreyMap {
    /// The file's bytes for a grey buffer.
    public static func encode(_ image: PixelBuffer) -> [UInt8] {
        precondition(image.layout == .grey, "PGM holds grey images")
        return Array("P5\n\(image.width) \(image.height)\n255\n".utf8) + image.bytes
    }
}
