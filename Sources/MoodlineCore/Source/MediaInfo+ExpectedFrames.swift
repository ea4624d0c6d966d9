import MoodlineMedia

extension MediaInfo {
    /// The number of frames `sampling` should yield from this media between `start` and `end`, when the media says
    /// enough to tell. Every number here comes from the file (or a flag) and may be absurd, so the arithmetic
    /// saturates instead of trapping.
    func expectedFrames(_ sampling: SamplingMode, start: Double? = nil, end: Double? = nil) -> Int? {
        // The part analysed: all of it, or the span between --start and --end that lies within the video.
        let span = durationSeconds.map { max(0, min($0, end ?? .infinity) - min($0, start ?? 0)) }
        let partial = start != nil || end != nil
        let total =
            partial
            ? span.flatMap { d in averageFrameRate.map { Int(saturating: d * $0) } }
            : frameCount ?? span.flatMap { d in averageFrameRate.map { Int(saturating: d * $0) } }
        switch sampling {
        case .everyFrame: return total
        case .everyNth(let n): return total.map { $0 / n + ($0 % n == 0 ? 0 : 1) }
        case .rate(let fps): return span.map { Int(saturating: ($0 * fps).rounded(.up)) }
        case .keyFrames: return nil
        }
    }
}
