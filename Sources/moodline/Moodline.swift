import ArgumentParser
import Foundation
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
        subcommands: [
            AnalyzeCommand.self, PlanCommand.self, MergeCommand.self, ProbeCommand.self, EvaluateCommand.self,
            EvaluatePersonsCommand.self, RegroupCommand.self, AgreeCommand.self, SummarizeCommand.self,
            CropsCommand.self,
            BenchmarkCommand.self, ServeCommand.self,
        ]
    )

    /// Parses and runs, first answering a mistyped command with the one probably meant (exit 64).
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let commands = configuration.subcommands.flatMap { [$0._commandName] + $0.configuration.aliases } + ["help"]
        if let first = arguments.first, let message = CommandSuggestion.message(for: first, commands: commands) {
            FileHandle.standardError.write(
                Data(
                    "Error: \(message)\nUsage: moodline <subcommand>\n  See 'moodline --help' for more information.\n"
                        .utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        main(nil)
    }
}
