import Foundation

/// An output file written under a temporary name (`.NAME.partial`) and renamed to `NAME` only when complete, so
/// a crash or a failed run never leaves a truncated file under the final name. Writes are buffered.
/// Confined to one queue.
final class AtomicOutputFile {
    let finalPath: String
    let partialPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private static let flushBytes = 1 << 16

    /// Creates (or truncates) the partial file in `folder`.
    init(folder: String, name: String) throws {
        finalPath = (folder as NSString).appendingPathComponent(name)
        partialPath = (folder as NSString).appendingPathComponent(".\(name).partial")
        guard FileManager.default.createFile(atPath: partialPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: partialPath) else {
            throw OutputError(path: partialPath, message: "cannot create the file (is the output folder writable?)")
        }
        self.handle = handle
        buffer.reserveCapacity(Self.flushBytes)
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushBytes { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw OutputError(path: partialPath, message: "cannot write: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames the file to its final name (replacing an older one).
    func commit() throws {
        try flush()
        try? handle.synchronize()
        try? handle.close()
        if rename(partialPath, finalPath) != 0 {
            throw OutputError(path: finalPath, message: "cannot rename \(partialPath) into place")
        }
    }

    /// Closes and removes the partial file.
    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: partialPath)
    }
}

@available(*, unavailable)
extension AtomicOutputFile: Sendable {}

/// An output that could not be written.
public struct OutputError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}
