import Foundation

/// A per-frame table (`frames.csv`, `frames.jsonl`, `photos.csv`) with person cells, written as frames come although
/// persons are known only at the end: rows wait in a staging file with their keys (a video's track IDs, a photo
/// set's face numbers), and `commit` writes the final file from it, filling each cell, in one streaming pass (memory
/// stays flat however long the input). A photo set's staging file is what its checkpoint resumes.
///
/// Where persons are not filled in (a live input, whose rows reach the file as they come; no tracking or persons
/// off), rows go straight to the final file with `unknown` in the cell.
///
/// A row may hold several cells (a JSON line with several faces), and a cell several keys (a photo's persons,
/// `1;3`). Each staged row is a line `N CELL_1 ... CELL_N BYTES_0 ... BYTES_N` (a CELL is keys joined by `+`, or `-`
/// for none) and then the row's N + 1 pieces of text around the cells, so a row's own text (a file name with a
/// newline) never confuses the reading back.
final class PersonColumnRows {
    /// The final file (in `direct` mode, the only one).
    private let file: AtomicOutputFile
    /// The rows waiting for their persons; nil when rows go straight to `file`.
    private let staging: AtomicOutputFile?
    /// The cell written where the person is not filled in.
    private let unknown: String
    /// Where a shard keeps its staged rows at the end, for `moodline merge` to fill in the whole set's persons.
    private let keepStagedAs: String?

    var name: String { file.name }

    /// - Parameters:
    ///   - staged: whether to fill persons in at the end (else rows are final as written).
    ///   - unknown: the cell for a row without a person (`""` in CSV, `null` in JSON).
    ///   - resuming: a photo set's partial rows and length to continue: the staging file's when staged.
    ///   - keepStaged: whether to keep the staged rows, after the final file is written, as `keptRowsName(name)`
    ///     (a shard's, for merge).
    init(
        folder: String, name: String, staged: Bool, unknown: String, live: Bool,
        resuming: (path: String, bytes: Int)? = nil, keepStaged: Bool = false
    ) throws {
        file = try AtomicOutputFile(folder: folder, name: name, resuming: staged ? nil : resuming, live: live)
        staging = staged ? try AtomicOutputFile(folder: folder, name: name + ".rows", resuming: resuming) : nil
        self.unknown = unknown
        keepStagedAs =
            staged && keepStaged ? (folder as NSString).appendingPathComponent(Self.keptRowsName(name)) : nil
    }

    /// The tables with person cells, and the cell each writes where a row has no person.
    static let unknownCells = ["frames.csv": "", "frames.jsonl": "null", "photos.csv": ""]

    /// The hidden file in which a shard keeps table `name`'s staged rows (their person keys and text) for
    /// `moodline merge`: no embeddings, only the face numbers the shard's `face_embeddings.jsonl` also gives.
    static func keptRowsName(_ name: String) -> String { ".\(name).rows" }

    /// The per-frame table a sink of `context` writes: persons filled in where the input gets persons (frames in
    /// time with tracks, not live; a photo set with persons on), a photo set's rows resumable from its checkpoint.
    convenience init(context: SinkContext, name: String) throws {
        let traits = context.input.traits
        try self.init(
            folder: context.folder, name: name, staged: !traits.isLive && context.hasPersons,
            unknown: Self.unknownCells[name] ?? "",
            live: traits.isLive, resuming: traits.isPhotoSet ? context.resumingPath : nil,
            keepStaged: context.keepsPhotoRows)
    }

    /// Whether the rows continue those an earlier run left (a resumed photo set). The final file's header is
    /// written anew where rows are staged (the file is made at the end), and is there already otherwise.
    var isResumed: Bool { staging == nil && file.isResumed }

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
        try write(pieces: pieces, cells: tracks.map { $0.map { [$0] } ?? [] })
    }

    /// Writes a row whose cells each list the persons of several keys (distinct, in order of their IDs, `;` between):
    /// `pieces[0]`, the first cell, `pieces[1]`, ..., the last piece.
    func write(pieces: [String], cells: [[Int]]) throws {
        precondition(pieces.count == cells.count + 1, "a row has one more piece than person cells")
        guard let staging else {
            var row = pieces[0]
            for piece in pieces.dropFirst() { row += unknown + piece }
            try file.write(row)
            return
        }
        let header =
            ["\(cells.count)"] + cells.map { $0.isEmpty ? "-" : $0.map(String.init).joined(separator: "+") }
            + pieces.map { "\($0.utf8.count)" }
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
            try Self.copyRows(from: staging.partialPath, into: file, unknown: unknown, person: person)
        }
        try file.commit()
        if let staging {
            if let keepStagedAs { try staging.setAside(as: keepStagedAs) } else { staging.discard() }
        }
    }

    /// Writes `file` from the rows kept in each part (`keptRowsName`: a shard's, or a whole set's for regroup), in
    /// order, after the first line of the table at `headerFrom` (a CSV's header; nil for a table without one):
    /// each part's keys are its own face numbers, counted on by `keyOffset` to the whole set's, whose persons
    /// `person` gives. The table as an analysis with those persons writes it.
    static func join(
        _ parts: [(path: String, keyOffset: Int)], headerFrom: String?, into file: AtomicOutputFile, unknown: String,
        person: (Int) -> Int?
    ) throws {
        if let headerFrom {
            guard let header = TextFileLines(path: headerFrom).first(where: { _ in true }) else {
                throw OutputError(path: headerFrom, message: "cannot be read")
            }
            try file.write(header + "\n")
        }
        for part in parts {
            try copyRows(from: part.path, into: file, unknown: unknown) { person($0 + part.keyOffset) }
        }
    }

    func discard() {
        file.discard()
        staging?.discard()
    }

    /// Writes into `file` the rows kept in each of `parts` (`keptRowsName`), as they are but for their keys, counted
    /// on by the part's `keyOffset`: the whole set's kept rows, from its shards', for a later regroup.
    static func joinKept(_ parts: [(path: String, keyOffset: Int)], into file: AtomicOutputFile) throws {
        for part in parts {
            try readRows(from: part.path) { cells, pieces in
                let keys = cells.map { cell in
                    cell == "-"
                        ? "-"
                        : cell.split(separator: "+").map { Int($0).map { String($0 + part.keyOffset) } ?? String($0) }
                            .joined(separator: "+")
                }
                try file.write(
                    (["\(cells.count)"] + keys + pieces.map { "\($0.count)" }).joined(separator: " ") + "\n")
                for piece in pieces { try file.write(bytes: piece) }
            }
        }
    }

    /// The persons of a staged cell's keys, distinct and in order (`unknown` when none is known).
    private static func cell(_ keys: Substring, unknown: String, _ person: (Int) -> Int?) -> String {
        let persons = Set(keys.split(separator: "+").compactMap { Int($0).flatMap(person) }).sorted()
        return persons.isEmpty ? unknown : persons.map(String.init).joined(separator: ";")
    }

    /// For a photo set's checkpoint: flushes and says where the rows are (the staged ones where staged).
    func flushForCheckpoint() throws -> PhotoSetCheckpoint.PartialFile {
        try (staging ?? file).flushForCheckpoint()
    }

    /// For a stopped photo set: keeps the rows (the staged ones where staged) under `path` for the next run; a
    /// staged table's final file, which holds only its header, goes.
    func setAside(as path: String) throws {
        if let staging {
            try staging.setAside(as: path)
            file.discard()
        } else {
            try file.setAside(as: path)
        }
    }

    private static func copyRows(
        from path: String, into file: AtomicOutputFile, unknown: String, person: (Int) -> Int?
    ) throws {
        try readRows(from: path) { cells, pieces in
            for (k, piece) in pieces.enumerated() {
                try file.write(bytes: piece)
                if k < cells.count { try file.write(cell(cells[k], unknown: unknown, person)) }
            }
        }
    }

    /// Reads staged rows, each as its cells' keys and its pieces of text.
    private static func readRows(
        from path: String, _ row: ([Substring], [[UInt8]]) throws -> Void
    ) throws {
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
            var pieces: [[UInt8]] = []
            for k in 0...cells {
                guard let bytes = Int(fields[1 + cells + k]), bytes >= 0 else {
                    throw OutputError(path: path, message: "staged rows are damaged")
                }
                pieces.append(Array(try reader.bytes(bytes)))
            }
            try row(Array(fields[1..<(1 + cells)]), pieces)
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
