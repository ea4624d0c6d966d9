import ArgumentParser
import Foundation
import MoodlineCore

/// `moodline analyze`: the main job.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Find faces, read their emotions and write per-frame and per-track timelines.",
        discussion: """
        Each input gets a folder OUTPUT/NAME/ with frames.csv (one row per face per sampled frame), frames.jsonl \
        (one object per sampled frame), tracks.json (per-track summaries and smoothed timelines) and run.json \
        (what was run, with which models, and every error). Files appear under their final names only when \
        complete.

        Videos use Pipelines/interview.json and photos Pipelines/photos.json unless --pipeline names another; \
        the flags below override the pipeline's settings. A folder is searched recursively: its photos share one \
        set of outputs (with a `file` column), and each video in it gets its own.

        Exit status: 0 when every input succeeded, 1 when any failed (the others still finish), 64 for bad usage.

        Examples:
          moodline analyze Samples/WolfgangLanger_Pexels.mp4 --output results
          moodline analyze interviews/ --output results --fps 2 --detector short_range
          moodline analyze event-photos/ -o results --pipeline photos --jobs 2
        """
    )

    @Argument(help: "Videos, photos or folders to analyse.")
    var inputs: [String] = []

    @Option(name: [.short, .long], help: "Folder to write results into (created if needed).")
    var output: String?

    @OptionGroup(title: "Pipeline")
    var pipeline: PipelineOptions

    @Option(help: "Inputs analysed at the same time.")
    var jobs = 1

    @Option(help: "Folder with the converted weights and MANIFEST.json (default: found automatically).")
    var weights: String?

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("Give at least one video, photo or folder to analyse.") }
        guard output != nil else { throw ValidationError("Missing --output DIR: where to write the results.") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1.") }
        _ = try pipeline.definitions()
    }

    func run() throws {
        let (videoPipeline, photoPipeline) = try pipeline.definitions()
        let models = try ModelStore(folder: weights)
        let reporter = ProgressRenderer(quiet: quiet)
        let batch = BatchAnalysis(videoPipeline: videoPipeline, photoPipeline: photoPipeline, models: models,
                                  outputDirectory: output!, jobs: jobs)
        let outcome = try batch.run(paths: inputs, reporter: reporter)
        reporter.summarise(outcome)
        if !outcome.succeeded { throw ExitCode.failure }
    }
}
