import Foundation

/// Whether a JPEG's bytes reach the end marker (EOI) of its picture, found by walking its segments and scans.
///
/// FFmpeg's JPEG decoder returns a partly decoded picture without an error when the file is cut short, so the
/// bytes themselves are checked. Only the first picture counts: a Motion Photo (an MP4 appended after the JPEG)
/// or an MPF file (a second picture after the first) has bytes after the first EOI, and is complete. An EOI inside
/// an APP segment (an EXIF thumbnail) is skipped over with its segment.
public enum JPEGCompleteness: Equatable, Sendable {
    /// The picture's EOI marker is there.
    case complete
    /// The bytes end before the picture's EOI marker. `progressive`: the picture is coded in several scans
    /// (SOF2), each over the whole picture, so a cut costs detail rather than the bottom of the picture only.
    case endsEarly(progressive: Bool)
    /// Not a JPEG (no SOI marker at the start).
    case notJPEG

    /// Walks `bytes` from the SOI marker to the first EOI.
    ///
    /// - Complexity: O(n) in the bytes up to the EOI.
    public init(scanning bytes: [UInt8]) {
        self = bytes.withUnsafeBytes(Self.scan)
    }

    /// Walks the bytes of a file already read (no copy of them is made).
    public init(scanning data: Data) {
        self = data.withUnsafeBytes(Self.scan)
    }

    private static func scan(_ bytes: UnsafeRawBufferPointer) -> JPEGCompleteness {
        guard bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return .notJPEG }
        var progressive = false
        var index = 2
        let count = bytes.count
        while index + 1 < count {
            // Between segments only markers are expected; stray bytes and fill bytes (0xFF) are passed over, as
            // decoders do.
            guard bytes[index] == 0xFF, bytes[index + 1] != 0xFF else {
                index += 1
                continue
            }
            let marker = bytes[index + 1]
            if marker == 0xD9 { return .complete }
            // Markers without a length: restart markers, a repeated SOI, TEM, and a stray zero.
            if (0xD0...0xD8).contains(marker) || marker == 0x01 || marker == 0x00 {
                index += 2
                continue
            }
            guard index + 3 < count else { break }
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            // A length counts its own two bytes: less is a broken segment, not one to walk into.
            guard length >= 2 else { break }
            if marker == 0xC2 { progressive = true }
            index += 2 + length
            // After a scan header comes entropy-coded data up to the next marker that is not a stuffed zero or a
            // restart marker.
            if marker == 0xDA { index = endOfScanData(bytes, from: index) }
        }
        return .endsEarly(progressive: progressive)
    }

    /// Where the entropy-coded data starting at `start` ends: at the next real marker, or at the end of the bytes.
    private static func endOfScanData(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 0xFF {
                let next = bytes[index + 1]
                if next == 0x00 || (0xD0...0xD7).contains(next) { index += 2; continue }
                if next != 0xFF { return index }
            }
            index += 1
        }
        return bytes.count
    }
}
