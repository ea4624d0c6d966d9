import ArgumentParser
import Foundation
import MoodlineCore

/// `moodline summarize`: every input's persons and segments in one long table, with the study's own columns.
struct SummarizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summarize",
        abstract: "Join results into one tidy table for a study: a row per person and per segment of every input.",
        discussion: """
            Each RESULTS is an output folder of `moodline analyze` (every input folder in it is read) or one input's \
            folder. The table has a row per person (from persons.json: mean probabilities, valence and arousal, \
            frames with their face, time on screen) and per segment and person (from segments.csv, where the input \
            was analysed with --segments), marked by the `level` column, with the baseline's columns where there \
            was one.

            --metadata adds your own columns (participant, condition, session...): a CSV whose first column names \
            each input, by its results folder's name or its file's name, with or without the extension.

            Examples:
              moodline summarize results -o study.csv --metadata participants.csv
              moodline summarize results-day1 results-day2 -o study.csv
            """)

    @Argument(help: "Output folders of moodline analyze, or single inputs' folders.") var results: [String] = []
    @Option(name: .shortAndLong, help: "The CSV to write.") var output: String
    @Option(help: "A CSV of your own columns per input (its first column names the input).") var metadata: String?

    func validate() throws {
        guard !results.isEmpty else { throw ValidationError("Give at least one results folder to summarize.") }
    }

    func run() throws {
        do {
            let folders = try StudyTable.inputFolders(in: results)
            let table = try StudyTable.csv(folders: folders, metadata: try metadata.map(StudyTable.Metadata.init))
            for warning in table.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
            try WholeFile.write(text: table.text, to: output)
            let rows = table.text.split(separator: "\n").count - 1
            print("Wrote \(output): \(rows) rows from \(folders.count) input(s).")
        } catch let error as RangeFileError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
