import Foundation

/// Writes `NAME/` from one whole, consistent set of shards, as one unsharded run of the folder writes it: each
/// table's rows in shard order under one header, the report rebuilt from the shards' kept fragments, and a
/// `run.json` that adds up the shards and carries the whole set's fingerprint, so a later unsharded run into the
/// same output folder finds the input unchanged.
enum ShardJoin {
    /// The outputs merge can join; a set that wrote any other is refused before anything is written.
    static let joinable: Set<String> = [
        "frames.csv", "frames.jsonl", "photos.csv", "report.html", OutputFolder.manifestName,
    ]
    /// The tables whose first line is a header, written once.
    static let headed: Set<String> = ["frames.csv", "photos.csv"]

    static func write(_ shards: [ShardManifest], base: String, in directory: String) throws -> String {
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
                let pages = try writeReport(shards, folder: folder.path)
                outputs += PhotoReportPages.extraFileNames(pages: pages)
                continue
            }
            let file = try AtomicOutputFile(folder: folder.path, name: output)
            defer { file.discard() }
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
        var joined = manifest(shards)
        joined.outputBytes = RunManifest.outputBytes(outputs, folder: folder.path)
        try joined.write(folder: folder.path)
        return folder.path
    }

    /// The report of the whole set: the header from the added-up counts, the pages from every shard's fragments in
    /// turn (read as streams, so a set of any size merges in flat memory).
    private static func writeReport(_ shards: [ShardManifest], folder: String) throws -> Int {
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
        let merged = manifest(shards)
        let header = ReportHeader(
            inputPath: merged.input.path, pipelineName: merged.pipeline["name"]?.text ?? "",
            framesSampled: merged.counts.framesSampled, faces: merged.counts.faces, tracks: nil,
            problems: merged.errors.map { ReportHeader.Problem(file: $0.file, frame: $0.frame, message: $0.message) })
        return try PhotoReportPages(folder: folder, title: header.title, header: header.html).write {
            paths.lazy.flatMap { TextFileLines(path: $0) }
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
