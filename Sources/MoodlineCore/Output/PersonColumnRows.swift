import Foundation

/// A per-frame table (`frames.csv`, `frames.jsonl`) with a person cell in each row, written as frames come although
/// persons are known only at the end: rows wait in a staging file with their track ID, and `commit` writes the
/// final file from it, filling each row's person, in one streaming pass (memory stays flat however long the input).
///
/// Where persons are not filled in (a live input, whose rows reach the file as they come; no tracking; a photo set,
/// whose rows a checkpoint can resume), rows go straight to the final file with `unknown` in the cell.
///
/// A row may hold several person cells (a JSON line with several faces). Each staged row is a line
/// `N TRACK_1 ... TRACK_N BYTES_0 ... BYTES_N` (a TRACK `-` for none) and then the row's N + 1 pieces of text around
/// the cells, so a row's own text (a file name with a newline) never confuses the reading back.
final class PersonColumnRows {
    /// The final file (in `direct` mode, the only one).
    private let file: AtomicOutputFile
    /// The rows waiting for their persons; nil when rows go straight to `file`.
    private let staging: AtomicOutputFile?
    /// The cell written where the person is not filled in.
    private let unknown: String

    var name: String { file.name }

    /// - Parameters:
    ///   - staged: whether to fill persons in at the end (else rows are final as written).
    ///   - unknown: the cell for a row without a person (`""` in CSV, `null` in JSON).
    ///   - resuming: a photo set's partial file and length to continue (never staged).
    init(
        folder: String, name: String, staged: Bool, unknown: String, live: Bool,
        resuming: (path: String, bytes: Int)? = nil
    ) throws {
        file = try AtomicOutputFile(folder: folder, name: name, resuming: resuming, live: live)
        staging = staged ? try AtomicOutputFile(folder: folder, name: name + ".rows") : nil
        self.unknown = unknown
    }

    /// The per-frame table a sink of `context` writes: persons filled in for frames in time with tracks (not live),
    /// a photo set's rows resumable from its checkpoint.
    convenience init(context: SinkContext, name: String, unknown: String) throws {
        let traits = context.input.traits
        try self.init(
            folder: context.folder, name: name, staged: !traits.isLive && !traits.isPhotoSet && context.hasTracks,
            unknown: unknown, live: traits.isLive, resuming: traits.isPhotoSet ? context.resumingPath : nil)
    }

    /// Whether the file continues rows an earlier run left (a resumed photo set): its header is there already.
    var isResumed: Bool { file.isResumed }

    /// Writes text with no person cell (a header, a photo's row) to the final file. Staged rows come after all of
    /// it, so with staging only a header belongs here.
    func write(_ text: String) throws {
        try file.write(text)
    }

    /// Writes a row: `prefix`, the person of `track`, then `suffix`.
    func write(prefix: String, track: Int?, suffix: String) throws {
        try write(pieces: [prefix, suffix], tracks: [track])
    }

    /// Writes a row: `pieces[0]`, the person of `tracks[0]`, `pieces[1]`, ..., the last piece; one more piece than
    /// tracks.
    func write(pieces: [String], tracks: [Int?]) throws {
        precondition(pieces.count == tracks.count + 1, "a row has one more piece than person cells")
        guard let staging else {
            var row = pieces[0]
            for piece in pieces.dropFirst() { row += unknown + piece }
            try file.write(row)
            return
        }
        let header =
            ["\(tracks.count)"] + tracks.map { $0.map(String.init) ?? "-" } + pieces.map { "\($0.utf8.count)" }
        try staging.write(header.joined(separator: " ") + "\n")
        for piece in pieces { try staging.write(piece) }
    }

    /// Hands the rows written so far to the kernel (a live file's, for `tail -f`).
    func flush() throws {
        try staging?.flush()
        try file.flush()
    }

    /// Writes the final file with each row's person (`person(track)`, nil: `unknown`) and puts it in place.
    func commit(person: (Int) -> Int?) throws {
        if let staging {
            try staging.flush()
            defer { staging.discard() }
            try copyRows(from: staging.partialPath, person: person)
        }
        try file.commit()
    }

    func discard() {
        file.discard()
        staging?.discard()
    }

    /// For a photo set's checkpoint (rows not staged): flushes and says where the rows are.
    func flushForCheckpoint() throws -> PhotoSetCheckpoint.PartialFile { try file.flushForCheckpoint() }

    /// For a stopped photo set (rows not staged): keeps the rows under `path` for the next run.
    func setAside(as path: String) throws { try file.setAside(as: path) }

    private func copyRows(from path: String, person: (Int) -> Int?) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw OutputError(path: path, message: "cannot read the staged rows back")
        }
        defer { try? handle.close() }
        var reader = ChunkReader(handle: handle)
        while let header = try reader.line() {
            let fields = header.split(separator: " ")
            // Written by this class alone, but read defensively: a damaged file fails rather than traps.
            guard fields.count >= 2, fields.count % 2 == 0, let cells = Int(fields[0]), cells == fields.count / 2 - 1
            else {
                throw OutputError(path: path, message: "staged rows are damaged")
            }
            for k in 0...cells {
                guard let bytes = Int(fields[1 + cells + k]), bytes >= 0 else {
                    throw OutputError(path: path, message: "staged rows are damaged")
                }
                try file.write(bytes: try reader.bytes(bytes))
                if k < cells { try file.write(Int(fields[1 + k]).flatMap(person).map(String.init) ?? unknown) }
            }
        }
    }
}

/// Reads a file in large chunks, by lines or by counts of bytes.
private struct ChunkReader {
    let handle: FileHandle
    private var buffer: [UInt8] = []
    private var offset = 0
    private var atEnd = false

    init(handle: FileHandle) {
        self.handle = handle
    }

    /// Makes at least `count` bytes available past `offset`, unless the file ends first.
    private mutating func fill(_ count: Int) throws {
        while buffer.count - offset < count && !atEnd {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { atEnd = true }
            buffer.removeFirst(offset)
            offset = 0
            buffer.append(contentsOf: chunk)
        }
    }

    /// The next line without its newline; nil at the end of the file. Throws on a last line cut off before its
    /// newline (a truncated file).
    mutating func line() throws -> String? {
        while true {
            if let newline = buffer[offset...].firstIndex(of: UInt8(ascii: "\n")) {
                let text = String(decoding: buffer[offset..<newline], as: UTF8.self)
                offset = newline + 1
                return text
            }
            if atEnd {
                guard offset == buffer.count else {
                    throw OutputError(path: "staged rows", message: "the staged rows end in the middle of a line")
                }
                return nil
            }
            try fill(buffer.count - offset + 1)
        }
    }

    /// The next `count` bytes; throws when the file ends before them.
    mutating func bytes(_ count: Int) throws -> ArraySlice<UInt8> {
        try fill(count)
        guard buffer.count - offset >= count else {
            throw OutputError(path: "staged rows", message: "the staged rows end early")
        }
        defer { offset += count }
        return buffer[offset..<(offset + count)]
    }
}
