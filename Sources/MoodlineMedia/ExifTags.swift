/// What Moodline reads of a JPEG's EXIF, from its header, so that a photo's facts (its displayed size and turn, and
/// when it was taken) are known when it is opened, before its picture is decoded (FFmpeg gives the tags only with
/// the decoded frame).
public struct ExifTags: Sendable, Equatable {
    /// The turn the Orientation tag (0x0112) asks for.
    public var orientation: Orientation?
    /// When the photo was taken, as ISO 8601 local time (`2024-05-01T14:03:22`), with the offset from UTC where the
    /// camera recorded one (`2024-05-01T14:03:22+02:00`): DateTimeOriginal (0x9003), else DateTimeDigitized
    /// (0x9004), with OffsetTimeOriginal (0x9011) or OffsetTimeDigitized (0x9012).
    public var takenAt: String?

    public init(orientation: Orientation? = nil, takenAt: String? = nil) {
        self.orientation = orientation
        self.takenAt = takenAt
    }

    /// The tags in the JPEG's first EXIF segment, or nil when the bytes hold none that can be read. Every offset
    /// is checked against the segment, so a crafted file gives nil or partial tags, never a read outside it.
    public static func read(fromJPEG b: [UInt8]) -> ExifTags? {
        guard b.count > 4, b[0] == 0xFF, b[1] == 0xD8 else { return nil }
        var offset = 2
        while offset + 4 <= b.count, b[offset] == 0xFF {
            let marker = b[offset + 1]
            let length = Int(b[offset + 2]) << 8 | Int(b[offset + 3])
            guard length >= 2, marker != 0xDA else { return nil }
            let payload = offset + 4
            if marker == 0xE1, payload + 6 <= b.count, Array(b[payload..<(payload + 6)]) == Array("Exif".utf8) + [0, 0]
            {
                return TIFFDirectories(b, start: payload + 6, end: min(b.count, offset + 2 + length))?.tags()
            }
            offset += 2 + length
        }
        return nil
    }
}

/// The TIFF structure inside an EXIF segment, `b[start..<end]`, with offsets relative to `start`.
private struct TIFFDirectories {
    let b: [UInt8]
    let start: Int
    let end: Int
    let little: Bool

    init?(_ b: [UInt8], start: Int, end: Int) {
        guard start + 8 <= end else { return nil }
        self.b = b
        self.start = start
        self.end = end
        little = b[start] == 0x49
    }

    func u16(_ at: Int) -> Int? {
        guard at >= start, at + 2 <= end else { return nil }
        return little ? Int(b[at]) | Int(b[at + 1]) << 8 : Int(b[at]) << 8 | Int(b[at + 1])
    }

    func u32(_ at: Int) -> Int? {
        guard let high = u16(little ? at + 2 : at), let low = u16(little ? at : at + 2) else { return nil }
        return high << 16 | low
    }

    /// The entries (tag, the entry's position) of the directory at `offset`; at most 512 of them.
    func entries(at offset: Int) -> [(tag: Int, entry: Int)] {
        guard let count = u16(start + offset) else { return [] }
        var found: [(tag: Int, entry: Int)] = []
        for index in 0..<min(count, 512) {
            let entry = start + offset + 2 + 12 * index
            guard let tag = u16(entry) else { break }
            found.append((tag, entry))
        }
        return found
    }

    /// An ASCII value (type 2): in the entry itself up to 4 bytes, else at its offset; up to its first NUL.
    func ascii(_ entry: Int) -> String? {
        guard u16(entry + 2) == 2, let count = u32(entry + 4), count > 0, count <= 64 else { return nil }
        let at = count <= 4 ? entry + 8 : u32(entry + 8).map { start + $0 }
        guard let at, at >= start, at + count <= end else { return nil }
        let bytes = b[at..<(at + count)].prefix { $0 != 0 }
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    func tags() -> ExifTags? {
        guard let first = u32(start + 4) else { return nil }
        var tags = ExifTags()
        var exifDirectory: Int?
        for (tag, entry) in entries(at: first) {
            // A SHORT's value sits in the first two bytes of the entry's value field.
            if tag == 0x0112, let value = u16(entry + 8) { tags.orientation = Orientation(exifValue: value) }
            if tag == 0x8769, u16(entry + 2) == 4 { exifDirectory = u32(entry + 8) }
        }
        if let exifDirectory, exifDirectory != first {
            var values: [Int: String] = [:]
            for (tag, entry) in entries(at: exifDirectory) where [0x9003, 0x9004, 0x9011, 0x9012].contains(tag) {
                values[tag] = ascii(entry)
            }
            tags.takenAt =
                Self.isoTime(values[0x9003], offset: values[0x9011])
                ?? Self.isoTime(values[0x9004], offset: values[0x9012])
        }
        return tags
    }

    /// EXIF's `YYYY:MM:DD HH:MM:SS` as ISO 8601, with `±HH:MM` when given; nil for a blank or malformed time
    /// (cameras without a clock write zeros or spaces).
    static func isoTime(_ text: String?, offset: String?) -> String? {
        guard let text, text.utf8.count == 19 else { return nil }
        let c = Array(text.utf8)
        let digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
        guard digits.allSatisfy({ (0x30...0x39).contains(c[$0]) }), c[4] == 0x3A, c[7] == 0x3A, c[10] == 0x20,
            c[13] == 0x3A, c[16] == 0x3A
        else { return nil }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + Int(c[$1] - 0x30) } }
        let (year, month, day) = (number(0..<4), number(5..<7), number(8..<10))
        let (hour, minute, second) = (number(11..<13), number(14..<16), number(17..<19))
        guard year >= 1, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
            return nil
        }
        var iso = String(text.prefix(4)) + "-" + text.dropFirst(5).prefix(2) + "-" + text.dropFirst(8).prefix(2)
        iso += "T" + text.dropFirst(11)
        if let offset, offset.utf8.count == 6 {
            let o = Array(offset.utf8)
            if o[0] == 0x2B || o[0] == 0x2D, o[3] == 0x3A, [1, 2, 4, 5].allSatisfy({ (0x30...0x39).contains(o[$0]) }) {
                iso += offset
            }
        }
        return iso
    }
}
