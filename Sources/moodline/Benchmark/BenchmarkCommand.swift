import ArgumentParser

/// `moodline benchmark`: measured speed of each part of the job, against FFmpeg's own tools.
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Measure speed and memory, next to FFmpeg's own decode time of the same file.",
        subcommands: [DecodeBenchmark.self, ModelsBenchmark.self, AnalyzeBenchmark.self]
    )
}
