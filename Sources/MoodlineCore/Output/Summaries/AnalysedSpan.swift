/// The part of an input's time that was analysed, for how much of each whole second `seconds.csv` covers.
///
/// It runs from `--start` (or 0; a live stream's first frame, whose clock starts anywhere) to the earlier of `--end`
/// and the media's duration (no more than a sampling step past the last sampled frame), or to the last sampled frame
/// when neither is known. A second the span covers only in part
/// (the last one of a 600.12 s file, the first after `--start 7.3`) says how much of it was analysed.
struct AnalysedSpan: Equatable {
    let startSeconds: Double
    let endSeconds: Double

    init(startSeconds: Double, endSeconds: Double) {
        self.startSeconds = startSeconds
        self.endSeconds = max(startSeconds, endSeconds)
    }

    /// The span of an input whose sampled frames ran from `firstFrame` to `lastFrame` (nil when none was read), one
    /// sample every `stepSeconds` at most.
    init(
        decode: DecodeSettings, durationSeconds: Double?, isLive: Bool, firstFrame: Double?, lastFrame: Double?,
        stepSeconds: Double = 1
    ) {
        let first = firstFrame ?? 0, last = lastFrame ?? first
        // Frames before the start or after the end would be rows outside the span: the span always holds them.
        let start = min(isLive ? first : decode.startSeconds ?? 0, first)
        let stated = [decode.effectiveEndSeconds, isLive ? nil : durationSeconds].compactMap { $0 }.min() ?? last
        // A container's duration can be wrong, or crafted (and audio may outlast the video): past one sampling
        // step after the last frame, nothing was analysed.
        self.init(startSeconds: start, endSeconds: min(max(stated, last), last + stepSeconds))
    }

    /// How much of `second` lies in the span: 1 for a whole second, less for a partial first or last one.
    func durationSeconds(of second: Int) -> Double {
        max(0, min(Double(second + 1), endSeconds) - max(Double(second), startSeconds))
    }
}
