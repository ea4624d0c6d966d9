import CFFmpeg

extension MediaReader {
    /// Opens numbered pictures (`frames/%05d.png`, `%d` for no leading zeros) as one video at `framesPerSecond`:
    /// frame n is at n / rate seconds. FFmpeg reads from the first file numbered 0 to 4 while the numbers follow
    /// each other.
    ///
    /// - Throws: `MediaError` naming the pattern when no file of it can be read.
    public convenience init(
        sequence pattern: String, framesPerSecond: Double, options: DecoderOptions = DecoderOptions()
    ) throws {
        moodline_av_log_quiet()
        try self.init(
            path: pattern, format: FormatContext(sequence: pattern, framesPerSecond: framesPerSecond), options: options,
            interrupt: nil, isSequence: true)
    }
}
