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
        var filesRead = 0
        var openedAnything = false
        var seconds = 0.0
        var problems: [InputProblem] = []
    }

    let input: PlannedInput
    let definition: PipelineDefinition
    let reporter: any AnalysisReporter

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
            reporter.inputStarted(input, expectedFrames: files.count)
            for path in files {
                if !decodePhoto(path, root: root, into: &result, send: send) { break }
            }
            result.openedAnything = result.filesRead > 0 || files.isEmpty
        }
        result.seconds = (clock.now - started - waited).seconds
        return result
    }

    private var decoderOptions: DecoderOptions {
        DecoderOptions(keyFramesOnly: definition.sampling.needsKeyFramesOnly,
                       maximumSide: definition.maximumSidePixels > 0 ? definition.maximumSidePixels : nil)
    }

    private func record(_ problem: InputProblem, into result: inout Result) {
        result.problems.append(problem)
        reporter.problem(input, problem)
    }

    private func decodeVideo(_ path: String, into result: inout Result, send: (SampledFrame) -> Bool) {
        result.sizeBytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.map { $0.intValue }
        let reader: MediaReader
        do {
            reader = try MediaReader(path: path, options: decoderOptions)
        } catch {
            record(Self.problem(error, file: path), into: &result)
            return
        }
        result.openedAnything = true
        result.media = reader.info
        reporter.inputStarted(input, expectedFrames: Self.expectedFrames(reader.info, definition.sampling))
        var sampler = FrameSampler(mode: definition.sampling)
        var sequence = 0
        do {
            let summary = try reader.decodeFrames(select: { sampler.accepts($0) }) { frame in
                let sampled = SampledFrame(sequence: sequence, index: frame.index, timeSeconds: frame.timeSeconds, file: nil,
                                           pixels: frame.pixels, scaleToSource: frame.scaleToSource)
                guard send(sampled) else { throw CancellationError() }
                sequence += 1
            }
            result.decoded = summary.framesDecoded
            for problem in summary.problems { record(Self.problem(problem, file: path), into: &result) }
        } catch is CancellationError {
            // The consumer stopped (it recorded why).
        } catch {
            record(Self.problem(error, file: path), into: &result)
        }
        result.sampled = sequence
    }

    /// Returns false when the consumer has stopped.
    private func decodePhoto(_ path: String, root: String?, into result: inout Result, send: (SampledFrame) -> Bool) -> Bool {
        let name = Self.relative(path, to: root)
        do {
            let reader = try MediaReader(path: path, options: decoderOptions)
            var pixels: PixelBuffer?
            var scale = 1.0
            let summary = try reader.decodeFrames { frame in
                pixels = frame.pixels
                scale = frame.scaleToSource
            }
            result.decoded += summary.framesDecoded
            guard let pixels else {
                for problem in summary.problems { record(Self.problem(problem, file: name), into: &result) }
                if summary.problems.isEmpty {
                    record(InputProblem(file: name, frame: nil, code: "damaged_stream", message: "no picture could be decoded"), into: &result)
                }
                return true
            }
            result.filesRead += 1
            let frame = SampledFrame(sequence: result.sampled, index: 0, timeSeconds: 0, file: name, pixels: pixels, scaleToSource: scale)
            guard send(frame) else { return false }
            result.sampled += 1
        } catch {
            record(Self.problem(error, file: name), into: &result)
        }
        return true
    }

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

    static func expectedFrames(_ info: MediaInfo, _ sampling: SamplingMode) -> Int? {
        let total = info.frameCount ?? info.durationSeconds.flatMap { d in info.averageFrameRate.map { Int(d * $0) } }
        switch sampling {
        case .everyFrame: return total
        case .everyNth(let n): return total.map { ($0 + n - 1) / n }
        case .rate(let fps): return info.durationSeconds.map { Int(($0 * fps).rounded(.up)) }
        case .keyFrames: return nil
        }
    }
}
