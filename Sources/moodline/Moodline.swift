import ArgumentParser

/// The `moodline` command: emotion timelines from faces in videos and photo collections.
@main
struct Moodline: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "moodline",
        abstract: "Find faces in videos and photos, read their emotions, and write timelines.",
        discussion: """
        Examples:
          moodline analyze Samples/WolfgangLanger_Pexels.mp4 --output results
          moodline probe Samples/WolfgangLanger_Pexels.mp4
          moodline evaluate ../shared/eval/fer2013/validation
          moodline benchmark decode Samples/WolfgangLanger_Pexels.mp4
        """,
        version: version,
        subcommands: [AnalyzeCommand.self, ProbeCommand.self, EvaluateCommand.self, BenchmarkCommand.self]
    )
}
