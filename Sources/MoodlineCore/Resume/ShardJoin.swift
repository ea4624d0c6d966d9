import Foundation

/// Writes `NAME/` from one whole, consistent set of shards, as one unsharded run of the folder writes it: each
/// table's rows in shard order under one header, the report rebuilt from the shards' kept fragments, and a
/// `run.json` that adds up the shards and carries the whole set's fingerprint, so a later unsharded run into the
/// same output folder finds the input unchanged.
///
/// When every shard wrote its face embeddings, the whole set's faces are grouped into persons again
/// (`ShardPersons`), and the tables with person cells are written from the rows each shard kept
/// (`PersonColumnRows.keptRowsName`), the report from its fragments, with the whole set's persons.
enum ShardJoin {
    /// The outputs merge can join; a set that wrote any other is refused before anything is written.
    static let joinable: Set<String> = [
        "frames.csv", "frames.jsonl", "photos.csv", "report.html", OutputFolder.manifestName,
        FaceEmbeddingsWriter.fileName, PersonsCSVWriter.fileName,
    ]
    /// The tables whose first line is a header, written once.
    static let headed: Set<String> = ["frames.csv", "photos.csv"]

    static func write(_ shards: [ShardManifest], base: String, in directory: String) throws -> String {
        // Read first: damaged embeddings refuse the merge before any folder is made.
        let persons =
            ShardPersons.available(shards)
            ? try ShardPersons(shards, in: directory, inputPath: shards[0].inputPath) : nil
        let folder = try OutputFolder(directory: directory, name: base)
        if let owner = folder.previousManifest()?.runRecord.inputPath, owner != shards[0].inputPath {
            throw OutputError(
                path: folder.path,
                message: "holds the results of \(owner), another input of the same name; move it away first")
        }
        folder.clearEarlierRun()
        // The report's further pages are rebuilt with its first, from the whole set's fragments.
        var outputs = shards[0].outputs.filter { $0 != OutputFolder.manifestName && !PhotoReportPages.isExtraPage($0) }
        for output in outputs {
            let parts = shards.map { (directory as NSString).appendingPathComponent("\($0.folderName)/\(output)") }
            if output == "report.html" {
                let pages = try writeReport(shards, folder: folder.path, persons: persons)
                outputs += PhotoReportPages.extraFileNames(pages: pages)
                continue
            }
            if output == FaceEmbeddingsWriter.fileName || output == PersonsCSVWriter.fileName {
                guard let persons else { continue }
                if output == PersonsCSVWriter.fileName {
                    try WholeFile.write(
                        text: PhotoPersonsCSVWriter.contents(persons.personRows), to: folder.file(output))
                } else {
                    try persons.writeEmbeddings(into: folder.path)
                }
                continue
            }
            let file = try AtomicOutputFile(folder: folder.path, name: output)
            defer { file.discard() }
            if let persons, let unknown = PersonColumnRows.unknownCells[output] {
                try joinPersonRows(output, shards, persons, unknown: unknown, into: file, in: directory)
                try file.commit()
                continue
            }
            for (k, part) in parts.enumerated() {
                guard var data = FileManager.default.contents(atPath: part) else {
                    throw OutputError(path: part, message: "cannot be read")
                }
                // The header once, from the first shard.
                if headed.contains(output), k > 0, let newline = data.firstIndex(of: UInt8(ascii: "\n")) {
                    data = data[data.index(after: newline)...]
                }
                try file.write(bytes: data)
            }
            try file.commit()
        }
        if let persons { try keepRowsForRegroup(shards, persons, in: directory, folder: folder.path) }
        var joined = manifest(shards)
        if let persons { joined.counts.persons = persons.table.count }
        joined.outputBytes = RunManifest.outputBytes(outputs, folder: folder.path)
        try joined.write(folder: folder.path)
        return folder.path
    }

    /// The report of the whole set: the header from the added-up counts, the pages from every shard's fragments in
    /// turn, with the whole set's persons where grouped.
    private static func writeReport(_ shards: [ShardManifest], folder: String, persons: ShardPersons?) throws -> Int {
        var paths: [String] = []
        for shard in shards {
            let path = ((folder as NSString).deletingLastPathComponent as NSString)
                .appendingPathComponent("\(shard.folderName)/\(PhotoReportWriter.fragmentsFileName)")
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw OutputError(
                    path: path, message: "is missing: the shard's report cannot be joined; rerun \(shard.folderName)")
            }
            paths.append(path)
        }
        return try PhotoReportPages.write(
            fragments: paths, manifest: manifest(shards), folder: folder,
            person: persons.map { persons in { persons.table.person(ofTrack: $0) } }
        ) { line, shard in persons?.fragment(line, shard: shard) ?? line }
    }

    /// Keeps the whole set's rows and report fragments, as an unsharded run with persons keeps them, so that
    /// `moodline regroup` works on the merged set: the shards' own, their face numbers counted on to the set's.
    private static func keepRowsForRegroup(
        _ shards: [ShardManifest], _ persons: ShardPersons, in directory: String, folder: String
    ) throws {
        let shardFile = { (shard: ShardManifest, name: String) in
            (directory as NSString).appendingPathComponent("\(shard.folderName)/\(name)")
        }
        for table in shards[0].outputs where PersonColumnRows.unknownCells[table] != nil {
            let name = PersonColumnRows.keptRowsName(table)
            let file = try AtomicOutputFile(folder: folder, name: name)
            defer { file.discard() }
            try PersonColumnRows.joinKept(
                zip(shards, persons.keyOffsets).map { (shardFile($0, name), $1) }, into: file)
            try file.commit()
        }
        if shards[0].outputs.contains("report.html") {
            let file = try AtomicOutputFile(folder: folder, name: PhotoReportWriter.fragmentsFileName)
            defer { file.discard() }
            for (k, shard) in shards.enumerated() {
                for line in TextFileLines(path: shardFile(shard, PhotoReportWriter.fragmentsFileName)) {
                    try file.write(persons.fragment(line, shard: k) + "\n")
                }
            }
            try file.commit()
        }
    }

    /// Writes table `output` from the rows each shard kept, with the whole set's persons: the header (a CSV's first
    /// line) from shard 1's table, then every shard's rows in turn.
    private static func joinPersonRows(
        _ output: String, _ shards: [ShardManifest], _ persons: ShardPersons, unknown: String,
        into file: AtomicOutputFile, in directory: String
    ) throws {
        let shardFolder = { (shard: ShardManifest) in (directory as NSString).appendingPathComponent(shard.folderName) }
        let parts = try zip(shards, persons.keyOffsets).map { shard, offset in
            let path = (shardFolder(shard) as NSString).appendingPathComponent(PersonColumnRows.keptRowsName(output))
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw OutputError(
                    path: path, message: "is missing: the shard's persons cannot be joined; rerun \(shard.folderName)")
            }
            return (path: path, keyOffset: offset)
        }
        let headerFrom =
            headed.contains(output) ? (shardFolder(shards[0]) as NSString).appendingPathComponent(output) : nil
        try PersonColumnRows.join(parts, headerFrom: headerFrom, into: file, unknown: unknown) {
            persons.table.person(ofTrack: $0)
        }
    }

    /// The whole set's `run.json`: shard 1's, with the shards' counts, errors, sizes and times added up, and the
    /// run record of the whole set.
    static func manifest(_ shards: [ShardManifest]) -> RunManifest {
        let manifests = shards.map(\.manifest)
        var merged = manifests[0]
        merged.counts = manifests.dropFirst().reduce(merged.counts) { $0 + $1.counts }
        merged.timing = manifests.dropFirst().reduce(merged.timing) { $0 + $1.timing }.rounded
        merged.errors = manifests.flatMap(\.errors)
        merged.resumedAfterFiles = manifests.reduce(0) { $0 + $1.resumedAfterFiles }
        merged.input.files = shards[0].origin?.setFiles ?? shards.reduce(0) { $0 + $1.files }
        merged.input.sizeBytes = manifests.reduce(0) { $0 + ($1.input.sizeBytes ?? 0) }
        merged.status = manifests.contains { $0.status == .partial } || !merged.errors.isEmpty ? .partial : .ok
        merged.runRecord.fingerprint = shards[0].origin?.setFingerprint
        merged.shard = nil
        return merged
    }
}
