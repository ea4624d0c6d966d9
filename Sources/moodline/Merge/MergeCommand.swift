import ArgumentParser
import Foundation
import MoodlineCore

/// `moodline merge`: joins the shards of photo sets analysed with `analyze --shard K/N`.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the shards of photo folders analysed with --shard K/N into one set of results.",
        discussion: """
            Looks in OUTPUT for folders NAME.shard-K-of-N/ and, where all N shards have finished and were cut from \
            one listing of the folder, writes NAME/ as one unsharded run would have written it (frames.csv, \
            frames.jsonl, photos.csv, report.html, run.json), and updates OUTPUT/index.html. Videos need no merging: \
            each went whole to one shard.

            Persons: shards run with --write-embeddings each write their faces' embeddings, and merge groups the \
            whole set's faces into persons from them, as one run would (the same person in two shards gets one ID; \
            face_embeddings.jsonl is joined too). Without them a shard's person cells stay empty, and so do the \
            merged set's.

            Shards cut from different listings (the folder changed between them) are refused. When sets of several N \
            exist for one NAME, the set cut from the folder as it is now is merged and the others are named as stale, \
            to delete; when the folder cannot be read, sets that disagree are all refused.

            Exit status: 0 when every set was merged, 1 when any could not be (a shard missing, unfinished, or stale).

            Example (a Slurm array of 8 tasks, then one merge):
              moodline analyze photos/ -o results --shard auto
              moodline merge results
            """
    )

    @Argument(help: "The --output folder the shards were written into.")
    var output: String

    func run() throws {
        let results = ShardMerge.mergeAll(in: output)
        if results.isEmpty {
            FileHandle.standardError.write(Data("error: no shard folders (NAME.shard-K-of-N) in \(output)\n".utf8))
            throw ExitCode.failure
        }
        var failed = false
        for result in results {
            if let folder = result.folder {
                FileHandle.standardError.write(
                    Data("\(result.name): merged \(result.shards) shards -> \(folder)\n".utf8))
            } else {
                failed = true
                FileHandle.standardError.write(
                    Data("error: \(result.name).shard-*-of-\(result.shards): \(result.problem ?? "not merged")\n".utf8))
            }
        }
        do {
            try ShardMerge.writeIndex(after: results, in: output)
        } catch {
            failed = true
            FileHandle.standardError.write(Data("error: index.html: \(error)\n".utf8))
        }
        if failed { throw ExitCode.failure }
    }
}
