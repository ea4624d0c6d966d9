import Foundation

/// The lines of a text file, read a chunk at a time, so a file of any length is gone through in flat memory (a
/// photo set's report fragments, which grow with the set). A file that cannot be opened has no lines.
struct TextFileLines: Sequence {
    let path: String
    /// Bytes read at a time.
    var chunkBytes = 1 << 16

    struct Iterator: IteratorProtocol {
        private let handle: FileHandle?
        private let chunkBytes: Int
        private var buffer: [UInt8] = []
        private var start = 0
        private var ended = false

        init(path: String, chunkBytes: Int) {
            handle = FileHandle(forReadingAtPath: path)
            self.chunkBytes = chunkBytes
            ended = handle == nil
        }

        mutating func next() -> String? {
            while true {
                if let newline = buffer[start...].firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[start..<newline], as: UTF8.self)
                    start = newline + 1
                    return line
                }
                if ended {
                    guard start < buffer.count else { return nil }
                    // The last line, without a newline after it.
                    let line = String(decoding: buffer[start...], as: UTF8.self)
                    start = buffer.count
                    return line
                }
                let chunk = (try? handle?.read(upToCount: chunkBytes)) ?? nil
                buffer.removeFirst(start)
                start = 0
                if let chunk, !chunk.isEmpty {
                    buffer += chunk
                } else {
                    ended = true
                    try? handle?.close()
                }
            }
        }
    }

    func makeIterator() -> Iterator { Iterator(path: path, chunkBytes: chunkBytes) }
}
