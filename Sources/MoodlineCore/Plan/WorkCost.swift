import Foundation

/// What a unit of work is expected to cost: seconds of one 2-core task with the default pipeline (5 sampled frames a
/// second). Only the ratios between units matter to a plan, so the constants are this machine's, measured once
/// (README, "Many machines"): FFmpeg decodes about 0.8 megapixel-frames a millisecond on 2 cores, the analysis of a
/// sampled video frame takes about 7 ms of the 2 cores, and a photo about 20 ms plus its decoding.
public enum WorkCost {
    /// Decoding one frame of one megapixel.
    static let decodePerMegapixelFrame = 0.00125
    /// Analysing one sampled frame (detection, classification, persons).
    static let analysisPerSampledFrame = 0.007
    /// The default pipeline's sampling rate.
    static let sampledFramesPerSecond = 5.0
    /// Opening an input and writing its outputs.
    static let perInput = 0.05
    /// A photo's analysis, and its decoding by the megabyte of file (a proxy for its pixels, known without reading it).
    static let perPhoto = 0.02
    static let perPhotoMegabyte = 0.004
    /// Frames a second assumed when a video does not say.
    static let assumedFrameRate = 30.0

    /// Says what the costs estimate, for plan.json.
    public static let description =
        "estimated seconds of one 2-core task with the default pipeline (5 sampled frames a second)"

    /// A video of `seconds` at `frameRate` frames a second, each `width` x `height`; a video whose duration is not
    /// known costs only `perInput` (a damaged file, which its task reports).
    static func video(seconds: Double?, frameRate: Double?, width: Int, height: Int) -> Double {
        guard let seconds, seconds.isFinite, seconds > 0 else { return perInput }
        let rate = frameRate.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } ?? assumedFrameRate
        let megapixels = Double(max(width, 1) * max(height, 1)) / 1_000_000
        return perInput
            + seconds * (rate * megapixels * decodePerMegapixelFrame + sampledFramesPerSecond * analysisPerSampledFrame)
    }

    /// Photos whose files hold `bytes` in all.
    static func photos(count: Int, bytes: Int) -> Double {
        perInput + Double(count) * perPhoto + Double(bytes) / 1_000_000 * perPhotoMegabyte
    }
}
