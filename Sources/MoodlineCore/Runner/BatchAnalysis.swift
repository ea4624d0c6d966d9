import Foundation
import MoodlineNN
import Synchronization

/// The result of a batch: each input's outcome, in input order.
public struct BatchOutcome: Sendable {
    public let results: [(input: PlannedInput, outcome: InputOutcome)]
    /// Paths given or found that could not be analysed (missing, broken links, names that are not UTF-8).
    public let problems: [SkippedPath]
    /// The signal that stopped the batch early, if one did.
    public let stoppedBy: Int32?
    /// Why the batch's `index.html` could not be written, if it could not.
    public var indexProblem: String?

    /// True when every input finished with status ok and no path was unreadable.
    public var succeeded: Bool {
        problems.isEmpty && indexProblem == nil && results.allSatisfy { $0.outcome.status == .ok }
    }

    /// True when this process failed at its own work rather than on a bad input: an output could not be written
    /// (a full disk, a folder it may not write) or a model gave non-finite numbers (damaged weights). A scheduler
    /// should retry such a task (a rerun resumes); a damaged or unreadable input is recorded, and retrying it
    /// would fail the same way.
    public var taskFailed: Bool {
        indexProblem != nil
            || results.contains { result in
                result.outcome.problems.contains { $0.code == .output || $0.code == .modelOutput }
            }
    }

    /// Inputs analysed this run in which no face was found.
    public var inputsWithoutFaces: [PlannedInput] {
        results.filter { !$0.outcome.skippedAsUnchanged && $0.outcome.status != .failed && $0.outcome.faces == 0 }.map(
            \.input)
    }

    /// True when there was nothing to read: no media at all, or an input without a face (the tool's exit status 3
    /// when nothing failed).
    public var foundNothing: Bool { results.isEmpty || !inputsWithoutFaces.isEmpty }
}

/// Analyses a batch of inputs into `outputDirectory/NAME/`, several inputs at once when asked.
public struct BatchAnalysis: Sendable {
    public let definitionForVideo: PipelineDefinition
    public let definitionForPhotos: PipelineDefinition
    public let models: ModelStore
    public let outputDirectory: String
    /// Inputs analysed at the same time.
    public let jobs: Int
    /// This process's part of a batch split over several processes.
    public let shard: Shard?
    /// Analyse every input again, even those whose results are complete and unchanged.
    public let overwrite: Bool
    /// Set by the caller (on SIGINT or SIGTERM) to end the batch early and cleanly.
    public let stop: StopRequest
    /// The two pipelines' analysers, loaded when an input first needs them.
    public let analyzers: PipelineAnalyzers
    /// A folder every input must resolve inside (all links followed); what leads out is reported, not analysed.
    /// nil (the command line) takes whatever the paths reach.
    public var confinement: String?
    /// The frame rate of image sequences (`frames/%05d.png`) in the batch: frame n is at n / rate seconds.
    public var sequenceFramesPerSecond = 25.0
    /// Where a `WorkPlan` put each video and single photo (by path); nil: they are dealt to the shards in turn.
    public var placement: [String: Int]?
    /// When stopped, each input that has begun writes out what was analysed so far, with status stopped, instead
    /// of leaving only `run.json` for a rerun to complete (the command line's way). For a server's jobs.
    public var finishesOutputsWhenStopped = false

    /// - Parameter analyzers: analysers already shared with other batches (a server's jobs), so their models are
    ///   not loaded again; they must analyse as the two pipelines do (`PipelineDefinition.analysesAlike`). By default
    ///   the batch loads its own.
    public init(
        videoPipeline: PipelineDefinition, photoPipeline: PipelineDefinition, models: ModelStore,
        outputDirectory: String, jobs: Int = 1, shard: Shard? = nil, overwrite: Bool = false,
        stop: StopRequest = StopRequest(), analyzers: PipelineAnalyzers? = nil
    ) {
        precondition(jobs >= 1, "jobs must be at least 1")
        precondition(
            analyzers.map {
                $0.video.definition.analysesAlike(videoPipeline) && $0.photos.definition.analysesAlike(photoPipeline)
            } ?? true,
            "shared analysers must be for the batch's own pipelines")
        self.analyzers =
            analyzers
            ?? PipelineAnalyzers(
                videoPipeline: videoPipeline, photoPipeline: photoPipeline, models: models, sharded: shard != nil)
        self.definitionForVideo = videoPipeline
        self.definitionForPhotos = photoPipeline
        self.models = models
        self.outputDirectory = outputDirectory
        self.jobs = jobs
        self.shard = shard
        self.overwrite = overwrite
        self.stop = stop
    }

    /// Runs every input; one input's failure never stops the others.
    ///
    /// Frames already run in parallel, so callers should give OpenBLAS one thread (`BLAS.setThreads(1)`, as the
    /// command-line tool does); the library leaves that process-wide setting to them.
    ///
    /// - Throws: `OutputError` when the output directory cannot be made; `WeightError` when the manifest cannot be
    ///   read (nothing is analysed then). The models themselves are loaded only if some input needs them.
    public func run(paths: [String], reporter: any AnalysisReporter) throws -> BatchOutcome {
        try Self.makeOutputDirectory(outputDirectory)
        let options = InputOptions(sequenceFramesPerSecond: sequenceFramesPerSecond, confinedTo: confinement)
        return try run(
            plan: InputPlanner.plan(paths, shard: shard, options: options, placement: placement), reporter: reporter)
    }

    /// Runs inputs planned by the caller rather than found from paths (a server's job plans the files it stored).
    ///
    /// - Throws: as `run(paths:reporter:)`.
    public func run(plan: BatchPlan, reporter: any AnalysisReporter) throws -> BatchOutcome {
        try Self.makeOutputDirectory(outputDirectory)
        let plan = plan.namingRanges(of: definitionForVideo.decode)
        let videoModels = try modelRecords(definitionForVideo, embeds: analyzers.video.embedsFaces)
        let photoModels = try modelRecords(definitionForPhotos, embeds: analyzers.photos.embedsFaces)
        reporter.batchPlanned(plan.inputs)
        let outcomes = Mutex<[InputOutcome?]>(Array(repeating: nil, count: plan.inputs.count))
        let next = Mutex(0)
        let group = DispatchGroup()
        let parallelInputs = min(jobs, max(plan.inputs.count, 1))
        let share = ThreadShare.of(parallelInputs: parallelInputs)
        // One serial queue per job slot, each with a thread of its own: these loops block on the pipeline's
        // buffers for as long as an input runs, and on the width-limited global pool (what a concurrent queue
        // uses) blocked loops starved the analysis workers, so --jobs 4 ran on barely more than one core.
        for slot in 0..<parallelInputs {
            DispatchQueue(label: "moodline.input-\(slot)").async(group: group) {
                while true {
                    let i = next.withLock { value -> Int in
                        value += 1
                        return value - 1
                    }
                    guard i < plan.inputs.count else { return }
                    let input = plan.inputs[i]
                    let isVideo = input.traits.isTimed
                    var job = InputAnalysis(
                        input: input, definition: isVideo ? definitionForVideo : definitionForPhotos,
                        analyzer: (isVideo ? analyzers.video : analyzers.photos).get,
                        models: isVideo ? videoModels : photoModels, outputDirectory: outputDirectory,
                        reporter: reporter, stop: stop, overwrite: overwrite)
                    job.threads = share
                    job.finishesOutputsWhenStopped = finishesOutputsWhenStopped
                    let outcome = job.run()
                    outcomes.withLock { $0[i] = outcome }
                }
            }
        }
        group.wait()
        let results = outcomes.withLock { $0 }
        var outcome = BatchOutcome(
            results: zip(plan.inputs, results).map { ($0, $1!) }, problems: plan.problems, stoppedBy: stop.signalNumber)
        // The index links every report in the output folder; a shard writes none (merge does, once the set is whole).
        let reports = [definitionForVideo, definitionForPhotos].contains {
            $0.outputs.formats.contains { $0.rawValue == "report" }
        }
        if reports && shard == nil && !outcome.results.isEmpty {
            do {
                try BatchIndex.write(problems: outcome.problems, outputDirectory: outputDirectory)
            } catch {
                outcome.indexProblem = "\(error)"
            }
        }
        return outcome
    }

    /// Creates the output directory, or says clearly why it cannot be used.
    static func makeOutputDirectory(_ path: String) throws {
        var status = stat()
        if stat(path, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else {
                throw OutputError(path: path, message: "the output folder is a file; choose a folder with --output")
            }
            guard access(path, W_OK | X_OK) == 0 else {
                throw OutputError(
                    path: path, message: "the output folder cannot be written (\(String(cString: strerror(errno))))")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw OutputError(
                path: path, message: "cannot create the output folder (\((error as NSError).localizedDescription))")
        }
    }

    /// The weights an input's analysis reads: the detector's and classifier's, and the face embedder's where its
    /// analyser embeds faces.
    private func modelRecords(_ definition: PipelineDefinition, embeds: Bool) throws -> [ModelRecord] {
        let embedder = embeds ? try models.weightRecords(embedder: .dlibResNet) : []
        return try models.weightRecords(detector: definition.detector, classifier: definition.classifier) + embedder
    }
}
