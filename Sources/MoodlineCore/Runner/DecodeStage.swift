import Foundation
import MoodlineMedia

/// The first stage: opens the input's `FrameSource`, samples its frames by time and hands them on in order,
/// stamped with their place. Damage is recorded, and the stream goes on past it.
struct DecodeStage: Sendable {
    struct Result: Sendable {
        var media: MediaInfo?
        var sizeBytes: Int?
        var decoded = 0
        var skipped = 0
        var sampled = 0
        var openedAnything = false
        /// Whether decoding ended early because the batch was asked to stop.
        var stopped = false
        var seconds = 0.0
        var problems: [InputProblem] = []
    }

    let input: PlannedInput
    let definition: PipelineDefinition
    let reporter: any AnalysisReporter
    let stop: StopRequest
    /// For a photo set resumed from a checkpoint: the first photo still to do.
    var firstPhoto = 0
    /// Threads for FFmpeg's decoder; 0 lets FFmpeg choose (one more than the cores).
    var decoderThreads = 0

    func run(into frames: BoundedBuffer<SampledFrame>) -> Result {
        var result = Result()
        let clock = ContinuousClock()
        let started = clock.now
        var waited = Duration.zero
        var source = FrameSources.make(for: input, options: decoderOptions, decode: definition.decode, firstPhoto: firstPhoto,
                                       stop: stop)
        do {
            let facts = try source.open()
            result.media = facts.media
            result.sizeBytes = facts.sizeBytes
            result.openedAnything = true
        } catch {
            record(Self.problem(error, file: input.path), into: &result)
            if case .video(let path) = input.kind {
                var status = stat()
                if stat(path, &status) == 0 { result.sizeBytes = Int(status.st_size) }
            }
            return result
        }
        reporter.inputStarted(input, expectedFrames: source.expectedFrames(definition.sampling), alreadyDone: firstPhoto)
        var sampler = FrameSampler(mode: definition.sampling, startSeconds: input.isVideo ? definition.decode.startSeconds : nil)
        var sequence = 0
        let end = source.frames(sampler: &sampler) { item in
            if stop.isStopped {
                result.stopped = true
                return false
            }
            for problem in item.problems { reporter.problem(input, problem) }
            let stamp = FrameStamp(sequence: sequence, index: item.timing.index, timeSeconds: item.timing.timeSeconds,
                                   file: item.file, fileIndex: item.fileIndex)
            let frame = SampledFrame(stamp: stamp, pixels: item.pixels, scaleToSource: item.scaleToSource,
                                     framesDecoded: item.framesDecoded, problems: item.problems)
            let before = clock.now
            defer { waited += clock.now - before }
            guard frames.put(frame) else { return false }
            sequence += 1
            return true
        }
        // A live input's read may have been ended by the stop itself, with no frame after it to notice.
        if input.isLive && stop.isStopped { result.stopped = true }
        result.decoded = end.framesDecoded
        result.skipped = end.framesSkipped
        for problem in end.problems { record(problem, into: &result) }
        result.sampled = sequence
        result.seconds = (clock.now - started - waited).seconds
        return result
    }

    private var decoderOptions: DecoderOptions {
        DecoderOptions(threads: decoderThreads, keyFramesOnly: definition.sampling.needsKeyFramesOnly,
                       maximumSide: definition.decode.maximumSidePixels > 0 ? definition.decode.maximumSidePixels : nil,
                       startSeconds: definition.decode.startSeconds, endSeconds: definition.decode.effectiveEndSeconds,
                       skipsLoopFilterWhenUnsampled: definition.decode.skipsLoopFilterWhenUnsampled)
    }

    private func record(_ problem: InputProblem, into result: inout Result) {
        result.problems.append(problem)
        reporter.problem(input, problem)
    }

    static func relative(_ path: String, to root: String?) -> String {
        guard let root else { return (path as NSString).lastPathComponent }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    static func problem(_ error: Error, file: String) -> InputProblem {
        if let media = error as? MediaError {
            return InputProblem(file: file, frame: media.frameIndex, code: .media(media.code),
                                message: media.function.map { "\(media.message) [\($0)]" } ?? media.message, cause: media)
        }
        return InputProblem(file: file, frame: nil, code: .other, message: "\(error)", cause: error)
    }

    /// The number of frames sampling should yield, when the media says enough to tell. Every number here comes
    /// from the file (or a flag) and may be absurd, so the arithmetic saturates instead of trapping.
    static func expectedFrames(_ info: MediaInfo, _ sampling: SamplingMode, start: Double? = nil, end: Double? = nil) -> Int? {
        // The part analysed: all of it, or the span between --start and --end that lies within the video.
        let span = info.durationSeconds.map { max(0, min($0, end ?? .infinity) - min($0, start ?? 0)) }
        let partial = start != nil || end != nil
        let total = partial ? span.flatMap { d in info.averageFrameRate.map { Int(saturating: d * $0) } }
            : info.frameCount ?? span.flatMap { d in info.averageFrameRate.map { Int(saturating: d * $0) } }
        switch sampling {
        case .everyFrame: return total
        case .everyNth(let n): return total.map { $0 / n + ($0 % n == 0 ? 0 : 1) }
        case .rate(let fps): return span.map { Int(saturating: ($0 * fps).rounded(.up)) }
        case .keyFrames: return nil
        }
    }
}
