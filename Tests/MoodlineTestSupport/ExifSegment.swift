import Foundation

/// Builds the EXIF a camera writes, for tests: an APP1 segment with a TIFF structure holding an Orientation tag in
/// its first directory and, in an Exif directory it points to, DateTimeOriginal and OffsetTimeOriginal, in either
/// byte order.
public enum ExifSegment {
    /// `jpeg` with the segment inserted after its SOI marker.
    public static func insert(
        into jpeg: Data, orientation: Int? = nil, takenAt: String? = nil, offset: String? = nil,
        littleEndian: Bool = false
    ) -> Data {
        let payload =
            Array("Exif".utf8) + [0, 0]
            + tiff(
                orientation: orientation, takenAt: takenAt, offset: offset, littleEndian: littleEndian)
        let length = payload.count + 2
        let segment: [UInt8] = [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload
        return jpeg.prefix(2) + Data(segment) + jpeg.dropFirst(2)
    }

    /// The TIFF structure alone (offsets relative to its first byte).
    public static func tiff(orientation: Int?, takenAt: String?, offset: String?, littleEndian: Bool) -> [UInt8] {
        func u16(_ v: Int) -> [UInt8] {
            littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] : [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
        }
        func u32(_ v: Int) -> [UInt8] { littleEndian ? u16(v & 0xFFFF) + u16(v >> 16) : u16(v >> 16) + u16(v & 0xFFFF) }
        func entry(_ tag: Int, type: Int, count: Int, value: [UInt8]) -> [UInt8] {
            u16(tag) + u16(type) + u32(count) + value + [UInt8](repeating: 0, count: 4 - value.count)
        }
        let exifTags = [(0x9003, takenAt), (0x9011, offset)].compactMap { tag, text in text.map { (tag, $0) } }
        var first: [(tag: Int, type: Int, count: Int, value: [UInt8])] = []
        if let orientation { first.append((0x0112, 3, 1, u16(orientation))) }
        let firstSize = 2 + 12 * (first.count + (exifTags.isEmpty ? 0 : 1)) + 4
        let exifAt = 8 + firstSize
        if !exifTags.isEmpty { first.append((0x8769, 4, 1, u32(exifAt))) }
        // The Exif directory, then the strings it points to.
        var dataAt = exifAt + 2 + 12 * exifTags.count + 4
        var exif: [UInt8] = u16(exifTags.count), data: [UInt8] = []
        for (tag, text) in exifTags {
            let bytes = Array(text.utf8) + [0]
            if bytes.count <= 4 {
                exif += entry(tag, type: 2, count: bytes.count, value: bytes)
            } else {
                exif += entry(tag, type: 2, count: bytes.count, value: u32(dataAt))
                data += bytes
                dataAt += bytes.count
            }
        }
        exif += u32(0)
        var tiff: [UInt8] = (littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]) + u16(42) + u32(8) + u16(first.count)
        for e in first { tiff += entry(e.tag, type: e.type, count: e.count, value: e.value) }
        tiff += u32(0)
        return tiff + (exifTags.isEmpty ? [] : exif + data)
    }
}
