import Foundation

/// Joins the shards of a photo set (`NAME.shard-K-of-N/`, written by `analyze --shard K/N`) into `NAME/`, as one
/// unsharded run would have written it: the rows of shard 1, then 2, and so on (each shard holds a contiguous run
/// of the sorted photos), one header, and a `run.json` that adds up the shards' counts and lists their errors.
public enum ShardMerge {
    /// One merged set, or why it could not be merged.
    public struct Result: Sendable {
        public let name: String
        public let shards: Int
        /// The merged folder, or nil when the set was not merged.
        public let folder: String?
        /// Why the set was not merged (a shard missing, unfinished or failed).
        public let problem: String?
    }

    /// Merges every complete set of shards under `directory`.
    public static func mergeAll(in directory: String) -> [Result] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var groups: [String: [Int: String]] = [:]
        var counts: [String: Int] = [:]
        for name in names {
            guard let (base, shard) = parse(name) else { continue }
            let key = "\(base)\u{0}\(shard.count)"
            groups[key, default: [:]][shard.index] = name
            counts[key] = shard.count
        }
        return groups.keys.sorted().map { key in
            let base = String(key.split(separator: "\u{0}")[0])
            return merge(base: base, count: counts[key]!, shardFolders: groups[key]!, in: directory)
        }
    }

    /// `NAME.shard-K-of-N` as (NAME, shard).
    static func parse(_ folderName: String) -> (String, Shard)? {
        guard let range = folderName.range(of: ".shard-", options: .backwards) else { return nil }
        let base = String(folderName[..<range.lowerBound])
        let parts = folderName[range.upperBound...].components(separatedBy: "-of-")
        guard !base.isEmpty, parts.count == 2, let shard = Shard("\(parts[0])/\(parts[1])"),
              shard.folderSuffix == "." + folderName[range.lowerBound...].dropFirst() else { return nil }
        return (base, shard)
    }

    private static func merge(base: String, count: Int, shardFolders: [Int: String], in directory: String) -> Result {
        func refuse(_ why: String) -> Result { Result(name: base, shards: count, folder: nil, problem: why) }
        var manifests: [[String: Any]] = []
        for k in 1...count {
            guard let name = shardFolders[k] else { return refuse("shard \(k) of \(count) is missing") }
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: (path as NSString).appendingPathComponent("run.json")),
                  let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                return refuse("shard \(k) of \(count) has not finished (no run.json in \(name))")
            }
            let status = manifest["status"] as? String ?? ""
            guard status == "ok" || status == "partial" else { return refuse("shard \(k) of \(count) ended \(status); rerun it") }
            if (manifest["outputs"] as? [String] ?? []).contains("tracks.json") {
                return refuse("shards with tracking across photos cannot be joined; run the set unsharded")
            }
            manifests.append(manifest)
        }
        do {
            let folder = try OutputFolder(directory: directory, name: base)
            folder.clearEarlierRun()
            var outputs: [String] = []
            for output in ["frames.csv", "frames.jsonl"] {
                let parts = (1...count).map { (directory as NSString).appendingPathComponent("\(shardFolders[$0]!)/\(output)") }
                guard parts.allSatisfy({ FileManager.default.fileExists(atPath: $0) }) else { continue }
                let file = try AtomicOutputFile(folder: folder.path, name: output)
                defer { file.discard() }
                for (k, part) in parts.enumerated() {
                    guard let data = FileManager.default.contents(atPath: part) else {
                        throw OutputError(path: part, message: "cannot be read")
                    }
                    var text = String(decoding: data, as: UTF8.self)
                    // The CSV header once, from the first shard.
                    if output == "frames.csv" && k > 0, let newline = text.firstIndex(of: "\n") {
                        text = String(text[text.index(after: newline)...])
                    }
                    try file.write(text)
                }
                try file.commit()
                outputs.append(output)
            }
            try writeManifest(manifests, outputs: outputs, count: count, folder: folder.path)
            return Result(name: base, shards: count, folder: folder.path, problem: nil)
        } catch {
            return refuse("\(error)")
        }
    }

    private static func writeManifest(_ shards: [[String: Any]], outputs: [String], count: Int, folder: String) throws {
        var merged = shards[0]
        var counts: [String: Int] = [:]
        var errors: [Any] = []
        for shard in shards {
            for (key, value) in shard["counts"] as? [String: Any] ?? [:] { counts[key, default: 0] += (value as? Int) ?? 0 }
            errors += shard["errors"] as? [Any] ?? []
        }
        var input = merged["input"] as? [String: Any] ?? [:]
        input["files"] = shards.reduce(0) { $0 + (($1["input"] as? [String: Any])?["files"] as? Int ?? 0) }
        input["size_bytes"] = shards.reduce(0) { $0 + (($1["input"] as? [String: Any])?["size_bytes"] as? Int ?? 0) }
        merged["input"] = input
        merged["counts"] = counts
        merged["errors"] = errors
        merged["status"] = shards.contains { $0["status"] as? String == "partial" } ? "partial" : "ok"
        merged["merged_from_shards"] = count
        merged["outputs"] = outputs + ["run.json"]
        merged["run_record"] = ["input_path": (shards[0]["run_record"] as? [String: Any])?["input_path"] ?? NSNull(),
                                "fingerprint": NSNull(), "tool_version": MoodlineVersion.string]
        merged.removeValue(forKey: "timing_s")
        merged.removeValue(forKey: "resumed_after_files")
        try RunManifest.writeObject(merged, folder: folder)
    }
}
