import Foundation
import MoodlineMedia
import Synchronization

/// Runs one input through the pipeline:
///
/// ```
/// decode + sample ──[BoundedBuffer]──▶ analyse × width ──[ReorderBuffer]──▶ track ▸ aggregate ▸ sinks
///  (serial queue)                  (a serial queue each)                 (the input's serial queue, in order)
/// ```
/// Full buffers block their producers, so no frame is dropped and memory stays flat; results are put back in
/// frame order before tracking, so outputs are the same at any width.
///
/// Around that: the output folder is locked for the run; an input whose earlier results are complete and whose
/// file, pipeline and models are unchanged is skipped; an earlier run's results are removed before new ones are
/// written (`run.json` first, and it is written last), so the folder never mixes two runs; a photo set resumes
/// after its checkpoint.
struct InputAnalysis {
    let input: PlannedInput
    let definition: PipelineDefinition
    /// Builds the analyser on first use, so a rerun that skips everything loads no model.
    let analyzer: @Sendable () throws -> FrameAnalyzer
    /// The models in use, for the manifest.
    let models: [ModelRecord]
    let outputDirectory: String
    let reporter: any AnalysisReporter
    let stop: StopRequest
    /// Redo the input even when its results are complete and unchanged.
    let overwrite: Bool
    /// This input's share of the machine when several inputs run at once (`--jobs`).
    var threads = ThreadShare.whole
    /// When stopped, write out what was analysed so far (status stopped), as a live input always does, rather than
    /// leave the folder to a rerun; a server's jobs are never rerun.
    var finishesOutputsWhenStopped = false

    var outputFolder: String { (outputDirectory as NSString).appendingPathComponent(input.outputName) }

    func run() -> InputOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        var outcome = InputOutcome(outputFolder: outputFolder)
        let folder: OutputFolder
        do {
            folder = try OutputFolder(directory: outputDirectory, name: input.outputName)
        } catch {
            return failedBeforeStart(&outcome, error)
        }
        let record = RunRecord(input: input, definition: definition, models: models)
        if let owner = folder.previousOwner(), owner != record.absoluteInputPath, !overwrite {
            return failedBeforeStart(
                &outcome, code: .nameConflict,
                OutputError(
                    path: outputFolder,
                    message:
                        "holds the results of \(owner), another input of the same name; use another --output, or --overwrite to replace them"
                ))
        }
        if !overwrite, let previous = folder.previousManifest(),
            let status = record.unchangedStatus(previous, folder: folder.path)
        {
            outcome.status = status
            outcome.skippedAsUnchanged = true
            outcome.outputs = previous.outputs
            reporter.inputFinished(input, outcome: outcome)
            return outcome
        }
        if stop.isStopped {
            outcome.status = .stopped
            reporter.inputFinished(input, outcome: outcome)
            return outcome
        }

        let isPhotoSet = input.traits.isPhotoSet
        var checkpoint: PhotoSetCheckpoint?
        if isPhotoSet, !overwrite, let saved = PhotoSetCheckpoint.load(in: folder.path), record.canResume(from: saved) {
            checkpoint = saved
        }
        folder.clearEarlierRun(keeping: Set(checkpoint?.partialFiles.values.map(\.file) ?? []))
        if checkpoint == nil { PhotoSetCheckpoint.remove(in: folder.path) }

        let frameAnalyzer: FrameAnalyzer
        do {
            frameAnalyzer = try analyzer()
        } catch {
            return failedBeforeStart(&outcome, error)
        }
        var consumer = OrderedStages(
            input: input, definition: definition, folder: folder.path,
            checkpointKey: isPhotoSet ? record.checkpointKey : nil, embedder: frameAnalyzer.embedder)
        do {
            try consumer.open(resuming: checkpoint)
        } catch {
            // A checkpoint that cannot be taken over is dropped, and the set starts again.
            PhotoSetCheckpoint.remove(in: folder.path)
            folder.clearEarlierRun()
            consumer = OrderedStages(
                input: input, definition: definition, folder: folder.path,
                checkpointKey: isPhotoSet ? record.checkpointKey : nil, embedder: frameAnalyzer.embedder)
            do { try consumer.open() } catch { return failedBeforeStart(&outcome, error) }
        }
        outcome.resumedFiles = consumer.resumedFiles

        let frames = BoundedBuffer<SampledFrame>(capacity: definition.concurrency.bufferFrames)
        let width = threads.analysisWidth(definition.concurrency.width)
        let results = ReorderBuffer<AnalysedFrame>(capacity: definition.concurrency.bufferFrames + width)
        let group = DispatchGroup()
        var decoding = DecodeStage(input: input, definition: definition, reporter: reporter, stop: stop)
        decoding.firstPhoto = consumer.resumedFiles
        decoding.decoderThreads = threads.decoderThreads
        let decodeBox = ResultBox<DecodeStage.Result>()
        DispatchQueue(label: "moodline.decode").async(group: group) { [decoding] in
            let result = decoding.run(into: frames)
            frames.finish()
            results.finish(count: result.sampled)
            decodeBox.set(result)
        }
        // Followed faces are found in order before the analysis (a photo set's photos are each searched whole).
        let analysed: BoundedBuffer<SampledFrame>
        if input.traits.isTimed, let follower = frameAnalyzer.makeFollower() {
            analysed = BoundedBuffer<SampledFrame>(capacity: definition.concurrency.bufferFrames)
            DispatchQueue(label: "moodline.follow").async(group: group) { [analysed] in
                var stage = FollowStage(analyzer: frameAnalyzer, follower: follower)
                stage.run(from: frames, into: analysed)
            }
        } else {
            analysed = frames
        }
        // A serial queue (its own thread) per worker, not a concurrent queue: workers block on the buffers, and
        // blocked work on the width-limited global pool starves every other input's workers.
        for worker in 0..<width {
            DispatchQueue(label: "moodline.analyse-\(worker)").async(group: group) {
                while let frame = analysed.take() {
                    guard results.put(frameAnalyzer.analyse(frame), sequence: frame.stamp.sequence) else { return }
                }
            }
        }

        // The ordered stages run here, as results come back in sequence.
        do {
            var done = consumer.resumedFiles
            while let frame = results.take() {
                try consumer.consume(frame)
                done += 1
                reporter.framesCompleted(input, done: done)
            }
        } catch {
            frames.cancel()
            analysed.cancel()
            results.cancel()
            consumer.fail(error)
        }
        group.wait()

        let decoded = decodeBox.value ?? DecodeStage.Result()
        outcome.media = decoded.media
        outcome.sizeBytes = decoded.sizeBytes
        // A photo set's are counted photo by photo beside its checkpoint (`PhotoSetProgress`), this run's and any it
        // resumed, and filled in when the ordered stages finish.
        if !isPhotoSet {
            outcome.framesDecoded = decoded.decoded
            outcome.framesSampled = decoded.sampled
        }
        outcome.framesSkipped = decoded.skipped
        outcome.problems = decoded.problems
        outcome.times.decode = decoded.seconds
        if decoded.stopped && (input.traits.isLive || finishesOutputsWhenStopped) {
            // Stopping is how a live input usually ends: everything so far is written out in full.
            consumer.finish(into: &outcome)
            outcome.status = .stopped
        } else if decoded.stopped {
            outcome.status = .stopped
            if isPhotoSet {
                consumer.setAsideForResume(into: &outcome)
            } else {
                consumer.discardOutputs()
                consumer.finish(into: &outcome)
            }
        } else {
            var openedAnything = decoded.openedAnything
            if let list = input.source.fileList { openedAnything = consumer.photosRead > 0 || list.files.isEmpty }
            // Nothing could be read: leave only run.json, no empty tables that look like results.
            if !openedAnything { consumer.discardOutputs() }
            consumer.finish(into: &outcome)
            outcome.status = Self.status(outcome, openedAnything: openedAnything)
        }
        for problem in outcome.problems where problem.code.failsTheInput {
            reporter.problem(input, problem)
        }
        outcome.wallSeconds = (clock.now - started).seconds
        writeManifest(&outcome, record: record)
        reporter.inputFinished(input, outcome: outcome)
        return outcome
    }

    /// Writes `run.json` through the manifest sink, always the last. When even that fails, the reason still reaches
    /// the console.
    private func writeManifest(_ outcome: inout InputOutcome, record: RunRecord) {
        let manifest = RunManifestSink(folder: outputFolder, models: models, record: record)
        do {
            try manifest.finish(FinishEvent(input: input, definition: definition, tracks: [], outcome: outcome))
        } catch {
            // Without run.json the folder is not complete, so the results that were committed go too.
            for name in outcome.outputs + OutputFolder.keptNames {
                unlink((outputFolder as NSString).appendingPathComponent(name))
            }
            outcome.outputs = []
            outcome.status = .failed
            let problem = InputProblem(
                file: outputFolder, frame: nil, code: .output, message: "cannot write run.json: \(error)", cause: error)
            outcome.problems.append(problem)
            reporter.problem(input, problem)
        }
    }

    private func failedBeforeStart(
        _ outcome: inout InputOutcome, code: InputProblem.Code = .output, _ error: Error
    ) -> InputOutcome {
        outcome.status = .failed
        let problem = InputProblem(file: outputFolder, frame: nil, code: code, message: "\(error)", cause: error)
        outcome.problems.append(problem)
        reporter.problem(input, problem)
        reporter.inputFinished(input, outcome: outcome)
        return outcome
    }

    private static func status(_ outcome: InputOutcome, openedAnything: Bool) -> InputStatus {
        if outcome.problems.contains(where: \.code.failsTheInput) || !openedAnything { return .failed }
        return outcome.problems.isEmpty ? .ok : .partial
    }
}

/// Holds a value set on one queue and read on another after a `DispatchGroup.wait()`.
final class ResultBox<Value: Sendable>: Sendable {
    private let stored = Mutex<Value?>(nil)

    func set(_ value: Value) {
        stored.withLock { $0 = value }
    }

    var value: Value? { stored.withLock { $0 } }
}
