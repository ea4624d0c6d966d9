import Foundation

/// Writes a small file in one go, under a temporary name renamed into place when complete, so no reader ever
/// sees half of it (for outputs outside `analyze`'s sinks: crops, reports of other commands).
public enum WholeFile {
    /// Writes `bytes` to `path`, replacing what is there. `durable` syncs it to disk first (slower; for files a
    /// crash must not lose).
    ///
    /// - Throws: `OutputError` naming the file.
    public static func write<Bytes: Sequence>(_ bytes: Bytes, to path: String, durable: Bool = true) throws
    where Bytes.Element == UInt8 {
        let file = try AtomicOutputFile(
            folder: (path as NSString).deletingLastPathComponent,
            name: (path as NSString).lastPathComponent)
        do {
            try file.write(bytes: bytes)
            try file.commit(durable: durable)
        } catch {
            file.discard()
            throw error
        }
    }

    /// Writes UTF-8 text; see `write(_:to:durable:)`.
    public static func write(text: String, to path: String, durable: Bool = true) throws {
        try write(text.utf8, to: path, durable: durable)
    }
}
