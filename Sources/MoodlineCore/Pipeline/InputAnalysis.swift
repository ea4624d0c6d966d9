import Foundation
import MoodlineMedia

/// What one input's analysis produced, for the manifest and the batch's exit status.
public struct InputOutcome: Sendable {
    public var status: InputStatus = .ok
    public var outputFolder: String
    public var media: MediaInfo?
    public var sizeBytes: Int?
    public var framesDecoded = 0
    public var framesSampled = 0
    public var faces = 0
    public var tracks = 0
    public var filesRead = 0
    public var times = StageTimes()
    public var wallSeconds = 0.0
    public var problems: [InputProblem] = []
    public var outputs: [String] = []
}

/// Runs one input through the pipeline:
///
/// ```
/// decode + sample ──[BoundedBuffer]──▶ analyse × width ──[ReorderBuffer]──▶ track ▸ aggregate ▸ write
///  (serial queue)                     (concurrent queue)                     (calling thread, in order)
/// ```
/// Full buffers block their producers, so no frame is dropped and memory stays flat; results are put back in
/// frame order before tracking, so outputs are the same at any width.
struct InputAnalysis {
    let input: PlannedInput
    let definition: PipelineDefinition
    let analyzer: FrameAnalyzer
    /// The models in use, for the manifest.
    let models: [ModelRecord]
    let outputFolder: String
    let reporter: any AnalysisReporter

    func run() -> InputOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        var outcome = InputOutcome(outputFolder: outputFolder)
        do {
            try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true)
        } catch {
            outcome.status = .failed
            outcome.problems.append(InputProblem(file: outputFolder, frame: nil, code: "output", message: "cannot create the output folder: \(error.localizedDescription)"))
            reporter.inputFinished(input, status: .failed, outputFolder: outputFolder)
            return outcome
        }

        let frames = BoundedBuffer<SampledFrame>(capacity: definition.bufferFrames)
        let results = ReorderBuffer<AnalysedFrame>(capacity: definition.bufferFrames + definition.concurrency)
        let group = DispatchGroup()
        let decoding = DecodeStage(input: input, definition: definition, reporter: reporter)
        let decodeBox = ResultBox<DecodeStage.Result>()

        DispatchQueue(label: "moodline.decode").async(group: group) {
            let result = decoding.run(into: frames)
            frames.finish()
            results.finish(count: result.sampled)
            decodeBox.set(result)
        }
        let workers = DispatchQueue(label: "moodline.analyse", attributes: .concurrent)
        for _ in 0..<definition.concurrency {
            workers.async(group: group) {
                while let frame = frames.take() {
                    guard results.put(analyzer.analyse(frame), sequence: frame.sequence) else { return }
                }
            }
        }

        // The ordered stages run here, as results come back in sequence.
        var consumer = OrderedStages(input: input, definition: definition, folder: outputFolder)
        do {
            try consumer.open()
            var done = 0
            while let frame = results.take() {
                try consumer.consume(frame)
                done += 1
                reporter.framesCompleted(input, done: done)
            }
        } catch {
            frames.cancel()
            results.cancel()
            consumer.fail(error)
        }
        group.wait()

        let decoded = decodeBox.value ?? DecodeStage.Result()
        outcome.media = decoded.media
        outcome.sizeBytes = decoded.sizeBytes
        outcome.framesDecoded = decoded.decoded
        outcome.framesSampled = decoded.sampled
        outcome.filesRead = decoded.filesRead
        outcome.problems = decoded.problems
        outcome.times.decode = decoded.seconds
        // Nothing could be read: leave only run.json, no empty tables that look like results.
        if !decoded.openedAnything { consumer.discardOutputs() }
        consumer.finish(into: &outcome)
        outcome.status = Self.status(outcome, openedAnything: decoded.openedAnything)
        outcome.wallSeconds = (clock.now - started).seconds
        do {
            try RunManifest.write(outcome, input: input, definition: definition, models: models, folder: outputFolder)
        } catch {
            outcome.status = .failed
            outcome.problems.append(InputProblem(file: outputFolder, frame: nil, code: "output", message: "\(error)"))
        }
        reporter.inputFinished(input, status: outcome.status, outputFolder: outputFolder)
        return outcome
    }

    private static func status(_ outcome: InputOutcome, openedAnything: Bool) -> InputStatus {
        if outcome.problems.contains(where: { $0.code == "output" }) || !openedAnything { return .failed }
        return outcome.problems.isEmpty ? .ok : .partial
    }
}

/// Holds a value set on one queue and read on another after a `DispatchGroup.wait()`.
///
/// `@unchecked Sendable`: access is guarded by `lock`.
final class ResultBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value?

    func set(_ value: Value) {
        lock.lock()
        stored = value
        lock.unlock()
    }

    var value: Value? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
