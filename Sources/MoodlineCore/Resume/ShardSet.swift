import Foundation

/// One shard folder's `run.json`, as merge reads it.
struct ShardManifest {
    let folderName: String
    let manifest: RunManifest

    var origin: ShardOrigin? { manifest.shard }
    var inputPath: String { manifest.runRecord.inputPath }
    var outputs: [String] { manifest.outputs }
    var files: Int { manifest.input.files ?? 0 }

    /// The settings that decide the results (pipeline without its concurrency, models, tool), to compare shards.
    var settings: String {
        RunRecord.identity(manifest.pipeline) + "\n" + manifest.models.map(\.sha256).joined(separator: ",") + "\n"
            + manifest.runRecord.toolVersion
    }
}

/// The shards of one photo set cut N ways, as found in an output folder: `NAME.shard-K-of-N/` for K in 1...N.
struct ShardSet {
    let base: String
    let count: Int
    /// Folder names by shard number; some may be missing.
    let folders: [Int: String]

    /// `folders` as a pattern for messages, e.g. `event.shard-*-of-3`.
    var pattern: String { "\(base).shard-*-of-\(count)" }

    /// Every set under `directory`, grouped by NAME (sorted), each NAME's sets by N.
    static func find(in directory: String) -> [(base: String, sets: [ShardSet])] {
        var found: [String: [Int: [Int: String]]] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            guard let (base, shard) = ShardMerge.parse(name) else { continue }
            found[base, default: [:]][shard.count, default: [:]][shard.index] = name
        }
        return found.keys.sorted().map { base in
            let byCount = found[base] ?? [:]
            return (base, byCount.keys.sorted().map { ShardSet(base: base, count: $0, folders: byCount[$0] ?? [:]) })
        }
    }

    /// Each shard's manifest in order, or why the set cannot be merged as it stands: a shard missing, unfinished,
    /// failed, written without a record of its set, or with tracking across photos.
    func load(in directory: String) -> Result<[ShardManifest], ShardMerge.Refusal> {
        var manifests: [ShardManifest] = []
        for k in 1...count {
            guard let name = folders[k] else { return .failure(.init("shard \(k) of \(count) is missing")) }
            let path = (directory as NSString).appendingPathComponent(name)
            guard let manifest = RunManifest.read(folder: path) else {
                return .failure(.init("shard \(k) of \(count) has not finished (no run.json in \(name))"))
            }
            guard manifest.status == .ok || manifest.status == .partial else {
                return .failure(.init("shard \(k) of \(count) ended \(manifest.status.rawValue); rerun it"))
            }
            if manifest.outputs.contains("tracks.json") {
                return .failure(.init("shards with tracking across photos cannot be joined; run the set unsharded"))
            }
            guard let origin = manifest.shard, origin.index == k, origin.count == count else {
                return .failure(
                    .init(
                        "shard \(k) of \(count) (\(name)) does not record the photo list it was cut from "
                            + "(written by an older moodline, or not by --shard); rerun it"))
            }
            manifests.append(ShardManifest(folderName: name, manifest: manifest))
        }
        return .success(manifests)
    }

    /// Why shards loaded from one set do not make one whole set, or nil when they do: cut from different
    /// listings of the folder, of another input, with other settings, or not holding their part of the list.
    /// `current` is the folder's fingerprint as it is now, when it can be read, to name the stale shards.
    static func mismatch(_ manifests: [ShardManifest], current: String?) -> String? {
        guard let first = manifests.first, let origin = first.origin else { return nil }
        let listings = Set(manifests.compactMap(\.origin?.setFingerprint))
        if listings.count > 1 {
            let parts = manifests.map { "shard \($0.origin?.index ?? 0) from \($0.origin?.setFiles ?? 0) photos" }
                .joined(separator: ", ")
            var advice = "rerun every shard"
            if let current, listings.contains(current) {
                let stale = manifests.filter { $0.origin?.setFingerprint != current }.map(\.folderName)
                advice = "rerun \(stale.joined(separator: ", ")) (cut from an earlier listing)"
            }
            return
                "its shards were cut from different listings of \(first.inputPath) (the folder changed between them): \(parts); \(advice)"
        }
        for manifest in manifests.dropFirst() {
            if manifest.inputPath != first.inputPath {
                return "\(manifest.folderName) is of \(manifest.inputPath), not \(first.inputPath); move one set away"
            }
            if manifest.settings != first.settings {
                return
                    "\(manifest.folderName) was analysed with another pipeline, models or moodline version than \(first.folderName); rerun it"
            }
            if manifest.outputs != first.outputs {
                return "\(manifest.folderName) wrote other outputs than \(first.folderName); rerun it"
            }
        }
        for manifest in manifests {
            guard let own = manifest.origin else { continue }
            let expected = ShardOrigin.range(files: origin.setFiles, index: own.index, count: own.count).count
            if manifest.files != expected {
                return
                    "\(manifest.folderName) holds \(manifest.files) photos, but its part of \(origin.setFiles) cut \(own.count) ways is \(expected); rerun it"
            }
        }
        return nil
    }

    /// The fingerprint and photo count an unsharded run of the photo folder at `inputPath` would record now; nil
    /// when the folder cannot be read (moved, deleted, or on another machine).
    static func currentListing(of inputPath: String) -> (fingerprint: String, files: Int)? {
        var isFolder: ObjCBool = false
        guard !inputPath.isEmpty, FileManager.default.fileExists(atPath: inputPath, isDirectory: &isFolder),
            isFolder.boolValue,
            access(inputPath, R_OK | X_OK) == 0
        else { return nil }
        for input in InputPlanner.plan([inputPath]).inputs {
            guard let list = input.source.fileList, let root = list.root,
                PlannedInput.absolutePath(root) == PlannedInput.absolutePath(inputPath)
            else { continue }
            return InputFingerprint.of(input).map { ($0.text, list.files.count) }
        }
        return ("no photos", 0)
    }
}
