import Foundation
import MoodlineMedia

/// A live input (a network stream or standard input), read as it comes: sampled by timestamp with no known
/// duration, ending at the stream's end, at `--duration`, when the batch is asked to stop (SIGINT, SIGTERM; even
/// while a read waits), or when no data comes for `decode.stall_timeout_s` and it cannot be opened again.
struct StreamSource: FrameSource {
    let address: StreamAddress
    let options: DecoderOptions
    let decode: DecodeSettings
    let stop: StopRequest
    private var reader: MediaReader?

    init(address: StreamAddress, options: DecoderOptions, decode: DecodeSettings, stop: StopRequest) {
        self.address = address
        self.options = options
        self.decode = decode
        self.stop = stop
    }

    mutating func open() throws -> SourceFacts {
        let stop = stop
        let reader = try MediaReader(
            stream: address, options: options, stallSeconds: decode.stallTimeoutSeconds,
            shouldStop: { stop.isStopped })
        self.reader = reader
        return SourceFacts(media: reader.info, sizeBytes: nil)
    }

    func expectedFrames(_ sampling: SamplingMode) -> Int? { nil }

    /// The stream's frames; when reading fails (a stall, a dropped connection), a network stream or camera is
    /// opened again, up to `decode.reconnect_attempts` times in a row, and its frames go on after the last ones:
    /// indices count on, and times go on by the wall-clock time the stream was away, so timelines keep real time.
    mutating func frames(sampler: inout FrameSampler, deliver: (SourceItem) -> Bool) -> SourceEnd {
        guard var current = reader else { return SourceEnd() }
        var total = SourceEnd()
        var consumerEnded = false
        var last: (timing: FrameTiming, at: ContinuousClock.Instant)?
        // How a reopened connection's frames are renumbered: its first frame comes after `after`.
        var after: (index: Int, seconds: Double)?
        var first: FrameTiming?
        var connection = 0
        while true {
            first = nil
            let base = after
            let retime = { (raw: FrameTiming) -> FrameTiming in
                guard let base else { return raw }
                if first == nil { first = raw }
                let start = first!
                return FrameTiming(
                    index: base.index + 1 + max(0, raw.index - start.index),
                    timeSeconds: base.seconds + max(0, raw.timeSeconds - start.timeSeconds), isKeyFrame: raw.isKeyFrame)
            }
            // Skipping works on packets' own times, which a reopened stream no longer shares with the sampler.
            let end = VideoFileSource.frames(
                of: current, path: address.text, sampler: &sampler,
                skipsUnsampledFrames: decode.skipsUnsampledFrames && connection == 0, retime: retime
            ) { item in
                // The reader ends at `--duration` in its own times; a reopened stream's times are shifted past them.
                if connection > 0, let end = options.endSeconds, item.timing.timeSeconds >= end {
                    consumerEnded = true
                    return false
                }
                last = (item.timing, ContinuousClock.now)
                let more = deliver(item)
                consumerEnded = !more
                return more
            }
            total.framesDecoded += end.framesDecoded
            total.framesSkipped += end.framesSkipped
            total.problems += end.problems
            guard end.readFailed, !consumerEnded, !stop.isStopped, !address.isStandardInput,
                decode.reconnectAttempts > 0,
                let reopened = reopen(after: last?.timing.timeSeconds ?? 0, problems: &total.problems)
            else {
                total.readFailed = end.readFailed
                return total
            }
            current = reopened
            reader = reopened
            connection += 1
            if let last {
                after = (last.timing.index, last.timing.timeSeconds + (ContinuousClock.now - last.at).seconds)
            }
        }
    }

    /// Opens the stream again, waiting 1, 2, 4, then 8 seconds before each try; nil after
    /// `decode.reconnect_attempts` failed tries or when asked to stop. Each try is reported.
    private func reopen(after seconds: Double, problems: inout [InputProblem]) -> MediaReader? {
        let stop = stop
        for attempt in 1...decode.reconnectAttempts {
            let wait = Duration.seconds(min(8, 1 << (attempt - 1)))
            let until = ContinuousClock.now + wait
            while ContinuousClock.now < until {
                if stop.isStopped { return nil }
                Thread.sleep(forTimeInterval: 0.05)
            }
            do {
                let reader = try MediaReader(
                    stream: address, options: options, stallSeconds: decode.stallTimeoutSeconds,
                    shouldStop: { stop.isStopped })
                problems.append(
                    InputProblem(
                        file: address.text, frame: nil, code: .other,
                        message:
                            "the stream was lost after \(String(format: "%.1f", seconds)) s and opened again (try \(attempt)); frames in between are missing"
                    ))
                return reader
            } catch {
                problems.append(
                    InputProblem(
                        file: address.text, frame: nil, code: .other,
                        message:
                            "opening the stream again failed (try \(attempt) of \(decode.reconnectAttempts)): \(error)",
                        cause: error))
            }
        }
        return nil
    }
}
