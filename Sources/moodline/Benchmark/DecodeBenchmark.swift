import ArgumentParser
import Foundation
import MoodlineCore
import MoodlineMedia

/// `moodline benchmark decode FILE`: our decoder against `ffmpeg -f null` on the same file, in one run.
struct DecodeBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract:
            "Time decoding a file at full rate and at 5 fps sampling (with and without skipping unsampled frames), against ffmpeg's own decode.",
        discussion: """
            Each measurement is repeated --runs times, alternating with ffmpeg, and the medians are printed with \
            the ratio of our time to ffmpeg's. Needs the ffmpeg tool (Debian package ffmpeg).

            Example:
              moodline benchmark decode Samples/WolfgangLanger_Pexels.mp4 --runs 5
            """
    )

    @Argument(help: "The video to decode.")
    var file: String

    @Option(help: "How many times to repeat each measurement; medians are reported.")
    var runs: Int = 5

    @Option(help: "Decoder threads, for us and for ffmpeg.")
    var threads: Int = 2

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1.") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1.") }
    }

    func run() throws {
        var ffmpeg: [Double] = [], decodeOnly: [Double] = [], fullRate: [Double] = [], sampled: [Double] = [],
            skipping: [Double] = []
        var frames = 0, sampledFrames = 0, skipped = 0
        for _ in 0..<runs {
            ffmpeg.append(try ffmpegDecodeSeconds(path: file, threads: threads))
            decodeOnly.append(try secondsTaken { frames = try decode(.everyFrame, convert: false) })
            fullRate.append(try secondsTaken { _ = try decode(.everyFrame, convert: true) })
            sampled.append(try secondsTaken { sampledFrames = try decode(.rate(framesPerSecond: 5), convert: true) })
            skipping.append(
                try secondsTaken { skipped = try decode(.rate(framesPerSecond: 5), convert: true, skipping: true) })
        }
        let base = median(ffmpeg)
        print("file: \(file)  frames: \(frames)  runs: \(runs)  threads: \(threads)")
        print(tableRow(["measurement", "median s", "frames/s", "vs ffmpeg"]))
        func row(_ name: String, _ times: [Double], _ count: Int) {
            let m = median(times)
            print(
                tableRow([
                    name, String(format: "%.3f", m), String(format: "%.1f", Double(count) / m),
                    String(format: "%.2fx", m / base),
                ]))
        }
        row("ffmpeg -f null (decode only)", ffmpeg, frames)
        row("moodline decode only", decodeOnly, frames)
        row("moodline full rate, to RGB", fullRate, frames)
        row("moodline 5 fps sampling, to RGB", sampled, frames)
        row("... leaving unsampled frames undecoded", skipping, frames)
        print("sampled frames at 5 fps: \(sampledFrames); frames left undecoded: \(skipped)")
        if let peak = peakResidentMegabytes() { print(String(format: "peak memory: %.1f MB", peak)) }
    }

    /// Decodes the file; returns the frames decoded (or delivered, when sampling; or skipped, with `skipping`).
    private func decode(_ mode: SamplingMode, convert: Bool, skipping: Bool = false) throws -> Int {
        let reader = try MediaReader(path: file, options: DecoderOptions(threads: threads))
        var sampler = FrameSampler(mode: mode)
        let planning = sampler
        var delivered = 0
        let summary = try reader.decodeFrames(
            select: { convert && sampler.accepts($0) },
            wants: skipping ? { planning.mayAccept($0) } : nil
        ) { _ in delivered += 1 }
        if skipping { return summary.framesSkipped }
        return mode == .everyFrame ? summary.framesDecoded : delivered
    }
}
