import Foundation
import Synchronization

/// An output file written under a temporary name and renamed to its final name only when complete, so a crash,
/// a kill or a full disk never leaves a truncated file under the final name. Writes are buffered.
///
/// The temporary name is unique to the process and the file (`.NAME.PID-N.partial`), so two processes, or two
/// files of one name, never write into each other. It is created exclusively and never through a symbolic link.
/// Confined to one queue.
final class AtomicOutputFile {
    let name: String
    let finalPath: String
    private(set) var partialPath: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    /// Bytes handed to the kernel so far (the file's length after `flush()`).
    private(set) var bytesWritten: Int
    /// Whether this file continues one left by an earlier run (a resumed photo set).
    let isResumed: Bool
    private static let flushBytes = 1 << 16
    /// Numbers partial files apart within this process. An atomic rather than a lock: ThreadSanitizer cannot see
    /// a global `Mutex`'s synchronisation and reported the counter as a race.
    private static let sequence = Atomic<Int>(0)

    /// A test hook: for a file name, the bytes after which its writes fail, as on a full disk (nil: never).
    nonisolated(unsafe) static var failWritesAfterBytes: (@Sendable (String) -> Int?)? = nil

    /// Creates the partial file in `folder`; with `resuming`, takes over an earlier partial file, cut back to the
    /// length its checkpoint recorded, and appends to it.
    ///
    /// With `live` (a live input's per-frame tables), the file is written under its final name from the start,
    /// so `tail -f` can follow it; the run's `run.json`, written last, says whether it ended complete.
    ///
    /// `mode`: the new file's permissions (before the umask); `0o600` for what only its owner should read.
    init(
        folder: String, name: String, resuming: (path: String, bytes: Int)? = nil, live: Bool = false,
        mode: mode_t = 0o644
    ) throws {
        self.name = name
        finalPath = (folder as NSString).appendingPathComponent(name)
        if live {
            partialPath = finalPath
            // An older file (or a link) under the name goes; the new one is created, never written through a link.
            unlink(finalPath)
            descriptor = open(finalPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            guard descriptor >= 0 else {
                throw OutputError(
                    path: finalPath, message: "cannot create the file: \(String(cString: strerror(errno)))")
            }
            bytesWritten = 0
            isResumed = false
            return
        }
        let serial = Self.sequence.wrappingAdd(1, ordering: .relaxed).newValue
        partialPath = (folder as NSString).appendingPathComponent(".\(name).\(getpid())-\(serial).partial")
        if let resuming {
            guard rename(resuming.path, partialPath) == 0 else {
                throw OutputError(
                    path: resuming.path,
                    message: "cannot take over the checkpointed file: \(String(cString: strerror(errno)))")
            }
            descriptor = open(partialPath, O_WRONLY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0, ftruncate(descriptor, off_t(resuming.bytes)) == 0,
                lseek(descriptor, 0, SEEK_END) == off_t(resuming.bytes)
            else {
                throw OutputError(
                    path: partialPath,
                    message: "cannot resume the checkpointed file: \(String(cString: strerror(errno)))")
            }
            bytesWritten = resuming.bytes
            isResumed = true
        } else {
            descriptor = open(partialPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            guard descriptor >= 0 else {
                throw OutputError(
                    path: partialPath, message: "cannot create the file: \(String(cString: strerror(errno)))")
            }
            bytesWritten = 0
            isResumed = false
        }
        buffer.reserveCapacity(Self.flushBytes)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func write(_ text: String) throws {
        try write(bytes: text.utf8)
    }

    func write<Bytes: Sequence>(bytes: Bytes) throws where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushBytes { try flush() }
    }

    /// Hands everything buffered to the kernel, so it survives the process (not a power cut).
    func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                var count = bytes.count - offset
                if let limit = Self.failWritesAfterBytes?(name) { count = min(count, max(0, limit - bytesWritten)) }
                let written = count == 0 ? -1 : Foundation.write(descriptor, bytes.baseAddress! + offset, count)
                if written < 0 {
                    if count > 0 && errno == EINTR { continue }
                    let reason = count == 0 ? "No space left on device" : String(cString: strerror(errno))
                    throw OutputError(path: finalPath, message: "cannot write: \(reason)")
                }
                offset += written
                bytesWritten += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the file to its final name (replacing an older file or link there, never
    /// writing through it).
    func commit(durable: Bool = true) throws {
        try flush()
        guard !durable || fsync(descriptor) == 0 else {
            throw OutputError(path: finalPath, message: "cannot write: \(String(cString: strerror(errno)))")
        }
        if partialPath != finalPath, rename(partialPath, finalPath) != 0 {
            throw OutputError(
                path: finalPath, message: "cannot rename \(partialPath) into place: \(String(cString: strerror(errno)))"
            )
        }
    }

    /// Flushes and says where the rows are and how long they are, for a checkpoint.
    func flushForCheckpoint() throws -> PhotoSetCheckpoint.PartialFile {
        try flush()
        return PhotoSetCheckpoint.PartialFile(file: (partialPath as NSString).lastPathComponent, bytes: bytesWritten)
    }

    /// Flushes and moves the partial file to `path` (a checkpoint's name), to be resumed by a later run.
    func setAside(as path: String) throws {
        try flush()
        _ = fsync(descriptor)
        guard rename(partialPath, path) == 0 else {
            throw OutputError(
                path: path, message: "cannot keep the checkpointed rows: \(String(cString: strerror(errno)))")
        }
        partialPath = path
    }

    /// Removes the partial file.
    func discard() {
        unlink(partialPath)
    }

    /// Whether `fileName` is one of the temporary files this type writes.
    static func isPartialName(_ fileName: String) -> Bool {
        fileName.hasPrefix(".") && fileName.hasSuffix(".partial")
    }
}

@available(*, unavailable)
extension AtomicOutputFile: Sendable {}
