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
        var source = input.source.makeFrameSource(
            FrameSourceSetup(
                options: decoderOptions, decode: definition.decode,
                firstPhoto: firstPhoto, stop: stop))
        do {
            let facts = try source.open()
            result.media = facts.media
            result.sizeBytes = facts.sizeBytes
            result.openedAnything = true
        } catch {
            record(InputProblem.reading(error, file: input.path), into: &result)
            return result
        }
        reporter.inputStarted(
            input, expectedFrames: source.expectedFrames(definition.sampling), alreadyDone: firstPhoto)
        var sampler = FrameSampler(
            mode: definition.sampling, startSeconds: input.traits.isTimed ? definition.decode.startSeconds : nil)
        var sequence = 0
        let end = source.frames(sampler: &sampler) { item in
            if stop.isStopped {
                result.stopped = true
                return false
            }
            for problem in item.problems { reporter.problem(input, problem) }
            let stamp = FrameStamp(
                sequence: sequence, index: item.timing.index, timeSeconds: item.timing.timeSeconds,
                file: item.file, fileIndex: item.fileIndex, photo: item.photo)
            let frame = SampledFrame(
                stamp: stamp, pixels: item.pixels, scaleToSource: item.scaleToSource,
                framesDecoded: item.framesDecoded, problems: item.problems)
            let before = clock.now
            defer { waited += clock.now - before }
            guard frames.put(frame) else { return false }
            sequence += 1
            return true
        }
        // A live input's read may have been ended by the stop itself, with no frame after it to notice.
        if input.traits.isLive && stop.isStopped { result.stopped = true }
        result.decoded = end.framesDecoded
        result.skipped = end.framesSkipped
        for problem in end.problems { record(problem, into: &result) }
        result.sampled = sequence
        result.seconds = (clock.now - started - waited).seconds
        return result
    }

    private var decoderOptions: DecoderOptions {
        DecoderOptions(
            threads: decoderThreads, keyFramesOnly: definition.sampling.needsKeyFramesOnly,
            maximumSide: definition.decode.maximumSidePixels > 0 ? definition.decode.maximumSidePixels : nil,
            startSeconds: definition.decode.startSeconds, endSeconds: definition.decode.effectiveEndSeconds,
            skipsLoopFilterWhenUnsampled: definition.decode.skipsLoopFilterWhenUnsampled)
    }

    private func record(_ problem: InputProblem, into result: inout Result) {
        result.problems.append(problem)
        reporter.problem(input, problem)
    }
}
