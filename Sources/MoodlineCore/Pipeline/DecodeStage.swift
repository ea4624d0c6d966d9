import Foundation
import MoodlineMedia

/// The first stage: opens the input, samples frames by time and hands them on in order. A video is one stream;
/// a photo set is a stream of one frame per photo. Unreadable files and damaged frames are recorded, and the
/// stream goes on past them.
struct DecodeStage: Sendable {
    struct Result: Sendable {
        var media: MediaInfo?
        var sizeBytes: Int?
        var decoded = 0
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
        func send(_ frame: SampledFrame) -> Bool {
            let before = clock.now
            defer { waited += clock.now - before }
            return frames.put(frame)
        }
        switch input.kind {
        case .video(let path):
            decodeVideo(path, into: &result, send: send)
        case .photos(let root, let files, _):
            reporter.inputStarted(input, expectedFrames: files.count, alreadyDone: firstPhoto)
            // Photos are opened (and their problems counted) by the ordered stages, item by item.
            result.openedAnything = true
            for (index, path) in files.enumerated().dropFirst(firstPhoto) {
                if stop.isStopped {
                    result.stopped = true
                    break
                }
                guard send(decodePhoto(path, root: root, index: index, sequence: index - firstPhoto)) else { break }
                result.sampled += 1
            }
        }
        result.seconds = (clock.now - started - waited).seconds
        return result
    }

    private var decoderOptions: DecoderOptions {
        DecoderOptions(threads: decoderThreads, keyFramesOnly: definition.sampling.needsKeyFramesOnly,
                       maximumSide: definition.maximumSidePixels > 0 ? definition.maximumSidePixels : nil)
    }

    private func record(_ problem: InputProblem, into result: inout Result) {
        result.problems.append(problem)
        reporter.problem(input, problem)
    }

    private func decodeVideo(_ path: String, into result: inout Result, send: (SampledFrame) -> Bool) {
        var status = stat()
        if stat(path, &status) == 0 { result.sizeBytes = Int(status.st_size) }
        let reader: MediaReader
        do {
            reader = try MediaReader(path: path, options: decoderOptions)
        } catch {
            record(Self.problem(error, file: path), into: &result)
            return
        }
        result.openedAnything = true
        result.media = reader.info
        reporter.inputStarted(input, expectedFrames: Self.expectedFrames(reader.info, definition.sampling), alreadyDone: 0)
        var sampler = FrameSampler(mode: definition.sampling)
        var sequence = 0
        do {
            let summary = try reader.decodeFrames(select: { sampler.accepts($0) }) { frame in
                if stop.isStopped { throw StopRequested() }
                let sampled = SampledFrame(stamp: FrameStamp(sequence: sequence, index: frame.index, timeSeconds: frame.timeSeconds),
                                           pixels: frame.pixels, scaleToSource: frame.scaleToSource)
                guard send(sampled) else { throw CancellationError() }
                sequence += 1
            }
            result.decoded = summary.framesDecoded
            for problem in summary.problems { record(Self.problem(problem, file: path), into: &result) }
        } catch is StopRequested {
            result.stopped = true
        } catch is CancellationError {
            // The consumer stopped (it recorded why).
        } catch {
            record(Self.problem(error, file: path), into: &result)
        }
        result.sampled = sequence
    }

    /// One photo as one item: its picture, or no picture and what went wrong.
    private func decodePhoto(_ path: String, root: String?, index: Int, sequence: Int) -> SampledFrame {
        let name = Self.relative(path, to: root)
        var problems: [InputProblem] = []
        var pixels: PixelBuffer?
        var scale = 1.0
        var decoded = 0
        do {
            let reader = try MediaReader(path: path, options: decoderOptions)
            let summary = try reader.decodeFrames { frame in
                pixels = frame.pixels
                scale = frame.scaleToSource
            }
            decoded = summary.framesDecoded
            if pixels == nil {
                problems = summary.problems.map { Self.problem($0, file: name) }
                if problems.isEmpty {
                    problems.append(InputProblem(file: name, frame: nil, code: "damaged_stream", message: "no picture could be decoded"))
                }
            }
        } catch {
            problems.append(Self.problem(error, file: name))
        }
        for problem in problems { reporter.problem(input, problem) }
        return SampledFrame(stamp: FrameStamp(sequence: sequence, index: 0, timeSeconds: 0, file: name, fileIndex: index), pixels: pixels,
                            scaleToSource: scale, framesDecoded: decoded, problems: problems)
    }

    /// Thrown inside the decode loop to end it when the batch is asked to stop.
    private struct StopRequested: Error {}

    static func relative(_ path: String, to root: String?) -> String {
        guard let root else { return (path as NSString).lastPathComponent }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    static func problem(_ error: Error, file: String) -> InputProblem {
        if let media = error as? MediaError {
            return InputProblem(file: file, frame: media.frameIndex, code: media.code.rawValue,
                                message: media.function.map { "\(media.message) [\($0)]" } ?? media.message)
        }
        return InputProblem(file: file, frame: nil, code: "error", message: "\(error)")
    }

    /// The number of frames sampling should yield, when the media says enough to tell. Every number here comes
    /// from the file (or a flag) and may be absurd, so the arithmetic saturates instead of trapping.
    static func expectedFrames(_ info: MediaInfo, _ sampling: SamplingMode) -> Int? {
        let total = info.frameCount ?? info.durationSeconds.flatMap { d in info.averageFrameRate.map { Int(saturating: d * $0) } }
        switch sampling {
        case .everyFrame: return total
        case .everyNth(let n): return total.map { $0 / n + ($0 % n == 0 ? 0 : 1) }
        case .rate(let fps): return info.durationSeconds.map { Int(saturating: ($0 * fps).rounded(.up)) }
        case .keyFrames: return nil
        }
    }
}
