import ArgumentParser
import Foundation
import MoodlineCore
import MoodlineNN

/// `moodline benchmark analyze FILE`: the whole job against FFmpeg's own decode of the same file, in one run.
struct AnalyzeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Time the whole analysis of a video against `ffmpeg -threads 2 -i FILE -f null -`, with peak memory.",
        discussion: """
            Runs the pipeline (outputs written to a temporary folder) and ffmpeg's decode alternately, --runs times \
            each, and prints medians: wall time, sampled frames and faces per second, the ratio to ffmpeg's time, and \
            this process's peak resident memory. scripts/benchmark-analyze.sh makes 1-minute and 10-minute 1080p \
            clips and runs this on both.

            Example:
              moodline benchmark analyze clip-1080p.mp4 --runs 3
            """
    )

    @Argument(help: "The video to analyse.")
    var file: String

    @Option(help: "How many times to repeat each measurement; medians are reported.")
    var runs = 3

    @OptionGroup(title: "Pipeline")
    var pipeline: PipelineOptions

    @OptionGroup var modelWeights: WeightsOptions

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1.") }
    }

    func run() throws {
        let (video, photos) = try pipeline.definitions()
        let models = try modelWeights.store()
        // As `analyze` does: frames run in parallel, so one BLAS thread each.
        BLAS.setThreads(1)
        var ffmpeg: [Double] = [], ours: [Double] = []
        var sampled = 0, faces = 0, decoded = 0
        var stages = StageTimes()
        for _ in 0..<runs {
            ffmpeg.append(try ffmpegDecodeSeconds(path: file, threads: 2))
            let output = FileManager.default.temporaryDirectory.appendingPathComponent(
                "moodline-bench-\(UUID().uuidString)"
            ).path
            defer { try? FileManager.default.removeItem(atPath: output) }
            let batch = BatchAnalysis(
                videoPipeline: video, photoPipeline: photos, models: models, outputDirectory: output)
            var outcome: BatchOutcome?
            ours.append(try secondsTaken { outcome = try batch.run(paths: [file], reporter: SilentReporter()) })
            guard let result = outcome?.results.first?.outcome, result.status == .ok else {
                throw BenchmarkError(
                    message:
                        "\(file): the analysis did not succeed: \(outcome?.results.first?.outcome.problems.first?.message ?? "unknown")"
                )
            }
            (sampled, faces, decoded, stages) = (result.framesSampled, result.faces, result.framesDecoded, result.times)
        }
        let base = median(ffmpeg), wall = median(ours)
        print("file: \(file)  frames decoded: \(decoded)  sampled: \(sampled)  faces: \(faces)  runs: \(runs)")
        print("pipeline: \(video.name), width \(video.concurrency.width)")
        print(tableRow(["measurement", "median s", "vs ffmpeg"]))
        print(tableRow(["ffmpeg -threads 2 -f null", String(format: "%.2f", base), "1.00x"]))
        print(tableRow(["moodline analyze", String(format: "%.2f", wall), String(format: "%.2fx", wall / base)]))
        print(String(format: "sampled frames/s: %.1f  faces/s: %.1f", Double(sampled) / wall, Double(faces) / wall))
        print(
            String(
                format:
                    "stage seconds (last run, summed over workers): decode %.2f, detect %.2f, register %.2f, classify %.2f, track %.3f, write %.3f",
                stages.decode, stages.detect, stages.register, stages.classify, stages.track, stages.write))
        if let peak = peakResidentMegabytes() { print(String(format: "peak memory: %.1f MB", peak)) }
    }
}
