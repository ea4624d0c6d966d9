/// A JPEG's EXIF orientation tag, read from its header, so that a photo's facts (its displayed size and turn)
/// are known when it is opened, before its picture is decoded (FFmpeg gives the tag only with the decoded frame).
public enum ExifOrientationTag {
    /// The orientation the tag asks for, or nil when the bytes hold no readable tag.
    public static func read(fromJPEG b: [UInt8]) -> Orientation? {
        guard b.count > 4, b[0] == 0xFF, b[1] == 0xD8 else { return nil }
        var offset = 2
        while offset + 4 <= b.count, b[offset] == 0xFF {
            let marker = b[offset + 1]
            let length = Int(b[offset + 2]) << 8 | Int(b[offset + 3])
            guard length >= 2, marker != 0xDA else { return nil }
            let payload = offset + 4
            if marker == 0xE1, payload + 6 <= b.count, Array(b[payload..<(payload + 6)]) == Array("Exif".utf8) + [0, 0]
            {
                return tiffOrientation(b, start: payload + 6, end: min(b.count, offset + 2 + length))
            }
            offset += 2 + length
        }
        return nil
    }

    /// Orientation (tag 0x0112) in the first image directory of the TIFF structure in `b[start..<end]`.
    private static func tiffOrientation(_ b: [UInt8], start: Int, end: Int) -> Orientation? {
        guard start + 8 <= end else { return nil }
        let little = b[start] == 0x49
        func u16(_ at: Int) -> Int? {
            guard at >= start, at + 2 <= end else { return nil }
            return little ? Int(b[at]) | Int(b[at + 1]) << 8 : Int(b[at]) << 8 | Int(b[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let high = u16(little ? at + 2 : at), let low = u16(little ? at : at + 2) else { return nil }
            return high << 16 | low
        }
        guard let directory = u32(start + 4), let count = u16(start + directory) else { return nil }
        for index in 0..<min(count, 512) {
            let entry = start + directory + 2 + 12 * index
            guard let tag = u16(entry) else { return nil }
            // A SHORT's value sits in the first two bytes of the entry's value field.
            if tag == 0x0112, let value = u16(entry + 8) { return Orientation(exifValue: value) }
        }
        return nil
    }
}
