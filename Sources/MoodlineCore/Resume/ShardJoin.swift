import Foundation

/// Writes `NAME/` from one whole, consistent set of shards, as one unsharded run of the folder writes it: each
/// table's rows in shard order under one header, the report rebuilt from the shards' kept fragments, and a
/// `run.json` that adds up the shards and carries the whole set's fingerprint, so a later unsharded run into the
/// same output folder finds the input unchanged.
enum ShardJoin {
    /// The outputs merge can join; a set that wrote any other is refused before anything is written.
    static let joinable: Set<String> = ["frames.csv", "frames.jsonl", "photos.csv", "report.html", OutputFolder.manifestName]
    /// The tables whose first line is a header, written once.
    static let headed: Set<String> = ["frames.csv", "photos.csv"]

    static func write(_ shards: [ShardManifest], base: String, in directory: String) throws -> String {
        let folder = try OutputFolder(directory: directory, name: base)
        if let previous = folder.previousManifest(), let owner = RunRecord.absoluteInputPath(in: previous), owner != shards[0].inputPath {
            throw OutputError(path: folder.path, message: "holds the results of \(owner), another input of the same name; move it away first")
        }
        folder.clearEarlierRun()
        let outputs = shards[0].outputs.filter { $0 != OutputFolder.manifestName }
        for output in outputs {
            let parts = shards.map { (directory as NSString).appendingPathComponent("\($0.folderName)/\(output)") }
            if output == "report.html" {
                try writeReport(shards, folder: folder.path)
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
        joined["output_bytes"] = RunManifest.outputBytes(outputs, folder: folder.path)
        try RunManifest.writeObject(joined, folder: folder.path)
        return folder.path
    }

    /// The report of the whole set: the header from the added-up counts, the grid from every shard's fragments.
    private static func writeReport(_ shards: [ShardManifest], folder: String) throws {
        var lines: [[Substring]] = []
        for shard in shards {
            let path = ((folder as NSString).deletingLastPathComponent as NSString)
                .appendingPathComponent("\(shard.folderName)/\(PhotoReportWriter.fragmentsFileName)")
            guard let data = FileManager.default.contents(atPath: path) else {
                throw OutputError(path: path, message: "is missing: the shard's report cannot be joined; rerun \(shard.folderName)")
            }
            lines.append(String(decoding: data, as: UTF8.self).split(separator: "\n"))
        }
        let merged = manifest(shards)
        let counts = merged["counts"] as? [String: Any] ?? [:]
        let problems = (merged["errors"] as? [[String: Any]] ?? []).map {
            ReportHeader.Problem(file: $0["file"] as? String ?? "", frame: $0["frame"] as? Int, message: $0["message"] as? String ?? "")
        }
        let header = ReportHeader(inputPath: (merged["input"] as? [String: Any])?["path"] as? String ?? "",
                                  pipelineName: (merged["pipeline"] as? [String: Any])?["name"] as? String ?? "",
                                  framesSampled: counts["frames_sampled"] as? Int ?? 0, faces: counts["faces"] as? Int ?? 0,
                                  tracks: nil, problems: problems)
        let body = PhotoReportWriter.photoBody(ReportFragments.joined(lines))
        try WholeFile.write(text: ReportPage.page(title: header.title, body: header.html + body),
                            to: (folder as NSString).appendingPathComponent("report.html"))
    }

    /// The whole set's `run.json`: shard 1's, with the shards' counts, errors, sizes and times added up, and the
    /// run record of the whole set.
    static func manifest(_ shards: [ShardManifest]) -> [String: Any] {
        let objects = shards.map(\.object)
        var merged = objects[0]
        var counts: [String: Int] = [:], timing: [String: Double] = [:]
        var errors: [Any] = []
        var sizeBytes = 0, resumed = 0
        for shard in objects {
            for (key, value) in shard["counts"] as? [String: Any] ?? [:] { counts[key, default: 0] += (value as? Int) ?? 0 }
            for (key, value) in shard["timing_s"] as? [String: Any] ?? [:] { timing[key, default: 0] += (value as? Double) ?? 0 }
            errors += shard["errors"] as? [Any] ?? []
            sizeBytes += (shard["input"] as? [String: Any])?["size_bytes"] as? Int ?? 0
            resumed += shard["resumed_after_files"] as? Int ?? 0
        }
        var input = merged["input"] as? [String: Any] ?? [:]
        input["files"] = shards[0].origin?.setFiles ?? shards.reduce(0) { $0 + $1.files }
        input["size_bytes"] = sizeBytes
        merged["input"] = input
        merged["counts"] = counts
        merged["errors"] = errors
        merged["status"] = objects.contains { $0["status"] as? String == "partial" } || !errors.isEmpty ? "partial" : "ok"
        merged["timing_s"] = timing.mapValues { ($0 * 1000).rounded() / 1000 }
        merged["resumed_after_files"] = resumed
        var record = merged["run_record"] as? [String: Any] ?? [:]
        record["fingerprint"] = shards[0].origin?.setFingerprint ?? NSNull()
        merged["run_record"] = record
        merged.removeValue(forKey: "shard")
        return merged
    }
}
