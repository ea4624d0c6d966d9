import Foundation

/// Media crafted to break a reader, made by the tests themselves with the ffmpeg tool and a few patched bytes.
public enum HostileMediaFixtures {
    /// Makes the crafted file: ffmpeg writes a fragmented MP4, then its `mdhd` time scale becomes 1 and each
    /// `tfdt` base decode time 2^62.
    public static func craftedHugeTimestamps(in folder: URL) throws -> String {
        let plain = folder.appendingPathComponent("fragmented.mp4").path
        try TestProcess.ffmpeg([
            "-f", "lavfi", "-i", "testsrc=size=64x48:rate=10", "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p",
            "-g", "5", "-movflags", "frag_keyframe+empty_moov", plain,
        ])
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: plain)))
        func find(_ tag: String, from start: Int) -> Int? {
            let needle = Array(tag.utf8)
            guard bytes.count >= 4 else { return nil }
            return (start..<(bytes.count - 4)).first { Array(bytes[$0..<$0 + 4]) == needle }
        }
        func put(_ value: UInt64, bytes count: Int, at offset: Int) {
            for i in 0..<count { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> UInt64(8 * (count - 1 - i))) }
        }
        if let mdhd = find("mdhd", from: 0) { put(1, bytes: 4, at: mdhd + (bytes[mdhd + 4] == 0 ? 16 : 24)) }
        var from = 0
        while let tfdt = find("tfdt", from: from) {
            if bytes[tfdt + 4] == 1 { put(1 << 62 + UInt64(tfdt), bytes: 8, at: tfdt + 8) }
            from = tfdt + 4
        }
        let crafted = folder.appendingPathComponent("crafted.mp4").path
        try Data(bytes).write(to: URL(fileURLWithPath: crafted))
        return crafted
    }
}
