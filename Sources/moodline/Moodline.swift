import ArgumentParser
import MoodlineCore

/// The `moodline` command: emotion timelines from faces in videos and photo collections.
@main
struct Moodline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moodline",
        abstract: "Find faces in videos and photos, read their emotions, and write timelines.",
        discussion: """
        Examples:
          moodline analyze Samples/WolfgangLanger_Pexels.mp4 --output results
          moodline probe Samples/WolfgangLanger_Pexels.mp4
          moodline evaluate ../shared/eval/fer2013/validation
          moodline crops ../shared/eval/fer2013/train -o crops/train
          moodline benchmark decode Samples/WolfgangLanger_Pexels.mp4
          moodline serve
        """,
        version: MoodlineVersion.string,
        subcommands: [AnalyzeCommand.self, MergeCommand.self, ProbeCommand.self, EvaluateCommand.self, CropsCommand.self, BenchmarkCommand.self, ServeCommand.self]
    )
}
