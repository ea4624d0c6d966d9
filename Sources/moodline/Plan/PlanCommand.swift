import ArgumentParser
import Foundation
import MoodlineCore

/// `moodline plan`: cuts a batch into shards balanced by their expected work, for array jobs.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Cut a batch into N shards of about equal work, for an array job (Slurm, Kubernetes).",
        discussion: """
            Lists the inputs as `analyze` would, estimates each one's cost (a video's from its duration, frame rate \
            and size, read from its header; a photo's from its file size) and writes plan.json: every unit of work, \
            its cost and the shard that runs it. Each photo folder is cut into N slices, slice K on shard K, as \
            --shard K/N cuts it, so `moodline merge` joins them; videos and single photos are then placed largest \
            first, each on the shard with the least work so far. `--shard K/N` without a plan deals them out in turn, \
            so one long video can leave one task running hours after the rest.

            Every task then runs `moodline analyze --plan plan.json -o OUTPUT --shard auto` (the inputs, and N, come \
            from the plan), and `moodline merge OUTPUT` once they have all ended. The same inputs give the same \
            plan. A task refuses a plan whose inputs were added to, removed or changed since it was made (exit 64), \
            so shards of two listings are never mixed: make the plan again and rerun every task.

            Costs are estimated seconds of one 2-core task with the default pipeline. They weigh the units against \
            each other; time one of your own files with `moodline benchmark analyze` for the wall time to expect.

            Example (8 Slurm tasks, then the merge; see deploy/slurm/):
              moodline plan interviews/ event-photos/ --shards 8 -o plan.json
              PLAN=plan.json deploy/slurm/submit.sh 8 results
            """
    )

    @Argument(help: "Video files, photos and folders: the batch to cut (no streams).")
    var inputs: [String] = []

    @Option(help: "How many shards (array tasks) to cut the batch into.")
    var shards: Int

    @Option(name: [.short, .long], help: "Where to write the plan.")
    var output = "plan.json"

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("Give the videos, photos and folders to plan.") }
        guard (1...100_000).contains(shards) else { throw ValidationError("--shards must be from 1 to 100000.") }
    }

    func run() throws {
        let made: (plan: WorkPlan, problems: [SkippedPath])
        do {
            made = try WorkPlanner.plan(inputs, shards: shards)
        } catch let problem as WorkPlan.Problem {
            throw ValidationError(problem.description)
        }
        for problem in made.problems {
            FileHandle.standardError.write(
                Data("warning: \(problem.path): \(problem.reason) (its task will report it too)\n".utf8))
        }
        do {
            try WholeFile.write(made.plan.encoded(), to: output)
        } catch {
            FileHandle.standardError.write(Data("error: \(output): \(error)\n".utf8))
            throw ExitCode(AnalyzeCommand.taskFailedStatus)
        }
        print(Self.summary(made.plan, path: output))
    }

    /// What the plan holds: each shard's estimated cost and units, and how far the largest is above the mean.
    static func summary(_ plan: WorkPlan, path: String) -> String {
        var lines = ["\(path): \(plan.units.count) units on \(plan.shards) shards"]
        for (index, cost) in plan.shardCostSeconds.enumerated() {
            let units = plan.units.filter { $0.shard == index + 1 }
            let videos = units.filter { $0.kind == .video }.count
            let photos = units.reduce(0) { $0 + ($1.kind == .photo ? 1 : $1.photos ?? 0) }
            lines.append(
                String(format: "  shard %d: about %.1f s (videos: %d, photos: %d)", index + 1, cost, videos, photos))
        }
        let total = plan.shardCostSeconds.reduce(0, +)
        if let largest = plan.shardCostSeconds.max(), total > 0 {
            let mean = total / Double(plan.shards)
            lines.append(
                String(
                    format: "the largest shard is %.0f%% of the mean (the largest unit alone: %.1f s)",
                    largest / mean * 100, plan.units.map(\.costSeconds).max() ?? 0))
        }
        return lines.joined(separator: "\n")
    }
}
