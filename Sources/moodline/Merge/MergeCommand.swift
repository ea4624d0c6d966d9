import ArgumentParser
import Foundation
import MoodlineCore

/// `moodline merge`: joins the shards of photo sets analysed with `analyze --shard K/N`.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the shards of photo folders analysed with --shard K/N into one set of results.",
        discussion: """
        Looks in OUTPUT for folders NAME.shard-K-of-N/ and, where all N shards have finished, writes NAME/ with \
        the rows of every shard in order (as one unsharded run would), and a run.json that adds up their counts \
        and lists their errors. Videos need no merging: each went whole to one shard.

        Exit status: 0 when every set was merged, 1 when any could not be (a shard missing or unfinished).

        Example (a Slurm array of 8 tasks, then one merge):
          moodline analyze photos/ -o results --shard $SLURM_ARRAY_TASK_ID/8
          moodline merge results
        """
    )

    @Argument(help: "The --output folder the shards were written into.")
    var output: String

    func run() throws {
        let results = ShardMerge.mergeAll(in: output)
        if results.isEmpty {
            FileHandle.standardError.write(Data("no shard folders (NAME.shard-K-of-N) in \(output)\n".utf8))
            throw ExitCode.failure
        }
        var failed = false
        for result in results {
            if let folder = result.folder {
                FileHandle.standardError.write(Data("\(result.name): merged \(result.shards) shards -> \(folder)\n".utf8))
            } else {
                failed = true
                FileHandle.standardError.write(Data("error: \(result.name): \(result.problem ?? "not merged")\n".utf8))
            }
        }
        if failed { throw ExitCode.failure }
    }
}
