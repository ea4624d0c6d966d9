import Foundation

/// Joins the shards of a photo set (`NAME.shard-K-of-N/`, written by `analyze --shard K/N`) into `NAME/`, as one
/// unsharded run would have written it (see `ShardJoin`).
///
/// Only a whole set is joined: all N shards finished, cut from one listing of the folder (each records it), with
/// the same settings. When sets of several N are found for one NAME, the one cut from the folder as it is now is
/// joined and the others are named as stale (to delete); when the folder cannot be read to tell, sets that agree
/// with each other are joined, and disagreeing ones are all refused.
public enum ShardMerge {
    /// One merged set, or why a set was not merged.
    public struct Result: Sendable {
        public let name: String
        public let shards: Int
        /// The merged folder, or nil when the set was not merged.
        public let folder: String?
        /// Why the set was not merged (a shard missing, unfinished, failed, or cut from another listing).
        public let problem: String?
    }

    /// Why a set cannot be merged.
    struct Refusal: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// Merges every whole, current set of shards under `directory`; one result per set found.
    public static func mergeAll(in directory: String) -> [Result] {
        ShardSet.find(in: directory).flatMap { merge(base: $0.base, sets: $0.sets, in: directory) }
    }

    /// Rewrites `directory/index.html` so it lists the merged folders too, when any of `results` has a report.
    public static func writeIndex(after results: [Result], in directory: String) throws {
        let reports = results.compactMap(\.folder).contains {
            FileManager.default.fileExists(atPath: ($0 as NSString).appendingPathComponent("report.html"))
        }
        if reports { try BatchIndex.write(problems: [], outputDirectory: directory) }
    }

    /// `NAME.shard-K-of-N` as (NAME, shard); nil for any other name. NAME must be one the planner would give
    /// (never empty, `.`, `..`, hidden or with control characters), so no file name can make merge write outside
    /// the output folder.
    static func parse(_ folderName: String) -> (String, Shard)? {
        guard let range = folderName.range(of: ".shard-", options: .backwards) else { return nil }
        let base = String(folderName[..<range.lowerBound])
        let parts = folderName[range.upperBound...].components(separatedBy: "-of-")
        guard !base.isEmpty, InputPlanner.safeName(base) == base, parts.count == 2,
            let shard = Shard("\(parts[0])/\(parts[1])"),
            base + shard.folderSuffix == folderName
        else { return nil }
        return (base, shard)
    }

    private static func merge(base: String, sets: [ShardSet], in directory: String) -> [Result] {
        func refuse(_ set: ShardSet, _ why: String) -> Result {
            Result(name: base, shards: set.count, folder: nil, problem: why)
        }
        var results: [Result] = []
        var whole: [(set: ShardSet, shards: [ShardManifest])] = []
        var loaded: [(set: ShardSet, shards: [ShardManifest])] = []
        for set in sets {
            switch set.load(in: directory) {
            case .failure(let refusal): results.append(refuse(set, refusal.message))
            case .success(let shards): loaded.append((set, shards))
            }
        }
        let inputPath = loaded.first?.shards.first?.inputPath ?? ""
        let current = loaded.isEmpty ? nil : ShardSet.currentListing(of: inputPath)
        for entry in loaded {
            if let why = ShardSet.mismatch(entry.shards, current: current?.fingerprint) {
                results.append(refuse(entry.set, why))
            } else {
                whole.append(entry)
            }
        }
        let listing = { (entry: (set: ShardSet, shards: [ShardManifest])) in
            entry.shards[0].origin?.setFingerprint ?? ""
        }
        var chosen: (set: ShardSet, shards: [ShardManifest])?
        if let current {
            chosen = whole.first { listing($0) == current.fingerprint }
            for entry in whole where listing(entry) != current.fingerprint {
                let files = entry.shards[0].origin?.setFiles ?? 0
                results.append(
                    refuse(
                        entry.set,
                        "\(entry.set.pattern) were cut from an earlier listing of \(inputPath) (\(files) photos; "
                            + "it now has \(current.files)): "
                            + (chosen.map {
                                "\(base).shard-*-of-\($0.set.count) match the folder and were merged; delete the stale set"
                            }
                                ?? "rerun the shards with the folder as it is now")))
            }
        } else if Set(whole.map(listing)).count > 1 {
            let counts = whole.map { "\($0.set.pattern) from \($0.shards[0].origin?.setFiles ?? 0) photos" }.joined(
                separator: ", ")
            for entry in whole {
                results.append(
                    refuse(
                        entry.set,
                        "sets were cut from different listings of \(inputPath) (\(counts)), and the folder "
                            + "cannot be read now to tell which is current; delete the stale set(s) and merge again"))
            }
        } else {
            chosen = whole.first
        }
        if let chosen {
            // Sets of other N cut from the same listing hold the same results: one is joined.
            if let refusal = unjoinable(chosen.shards) {
                results.append(refuse(chosen.set, refusal))
            } else {
                do {
                    let folder = try ShardJoin.write(chosen.shards, base: base, in: directory)
                    results.append(Result(name: base, shards: chosen.set.count, folder: folder, problem: nil))
                } catch {
                    results.append(refuse(chosen.set, "\(error)"))
                }
            }
        }
        return results.sorted { $0.shards < $1.shards }
    }

    /// Why merge cannot join the outputs these shards wrote, if it cannot.
    private static func unjoinable(_ shards: [ShardManifest]) -> String? {
        let others = shards[0].outputs.filter { !ShardJoin.joinable.contains($0) && !PhotoReportPages.isExtraPage($0) }
        return others.isEmpty ? nil : "merge cannot join \(others.joined(separator: ", ")); run the set unsharded"
    }
}
