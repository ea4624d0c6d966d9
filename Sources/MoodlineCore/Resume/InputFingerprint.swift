import Foundation
import MoodlineNN

/// What identifies an input's content cheaply, so a rerun can tell an unchanged input from a changed one.
///
/// Each kind of input makes its own (`InputSource.fingerprint`) from these parts: a file's size, modification time
/// and a SHA-256 of its first and last MiB (the whole file when smaller), or a list of files' names, sizes and
/// modification times hashed together.
public struct InputFingerprint: Sendable, Equatable {
    /// The fingerprint as `run.json` records it.
    public let text: String

    static let edgeBytes = 1 << 20

    /// The fingerprint of `input`; nil when a file cannot be read (the analysis will report why).
    public static func of(_ input: PlannedInput) -> InputFingerprint? {
        input.source.fingerprint()
    }

    /// `size:mtime:sha256(head+tail)` of one file.
    static func file(_ path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(status.st_size)
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var bytes = (try? handle.read(upToCount: edgeBytes)) ?? Data()
        if size > edgeBytes {
            let tailStart = max(edgeBytes, size - edgeBytes)
            try? handle.seek(toOffset: UInt64(tailStart))
            bytes += (try? handle.read(upToCount: edgeBytes)) ?? Data()
        }
        return "\(size):\(modificationNanoseconds(status)):" + SHA256.hexDigest(Array(bytes))
    }

    /// A digest over each file's name (relative to `root`), size and modification time, in order.
    static func listDigest<S: Sequence>(_ files: S, root: String?) -> String where S.Element == String {
        var digest = FileListDigest(root: root)
        for path in files { digest.add(path) }
        return digest.hex
    }

    /// One file's line in a list digest: its name relative to `root`, size and modification time.
    static func statLine(_ path: String, root: String?) -> String {
        var status = stat()
        let known = stat(path, &status) == 0
        return RelativePath.of(path, in: root) + "\u{0}"
            + (known ? "\(status.st_size)\u{0}\(modificationNanoseconds(status))\n" : "?\n")
    }

    private static func modificationNanoseconds(_ status: stat) -> Int {
        Int(status.st_mtim.tv_sec) * 1_000_000_000 + Int(status.st_mtim.tv_nsec)
    }
}

/// A digest of a file list built one file at a time: each step hashes the digest so far with the next file's line,
/// so a photo set's checkpoint extends it per photo in constant time instead of rehashing every photo before.
struct FileListDigest {
    let root: String?
    private(set) var hex = ""
    private(set) var count = 0

    init(root: String?) { self.root = root }

    /// Resumes a digest of the first `count` files, as a checkpoint recorded it.
    init(root: String?, hex: String, count: Int) {
        self.root = root
        self.hex = hex
        self.count = count
    }

    mutating func add(_ path: String) {
        hex = SHA256.hexDigest(Array((hex + "\n" + InputFingerprint.statLine(path, root: root)).utf8))
        count += 1
    }
}
