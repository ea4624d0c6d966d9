import Foundation
import MoodlineNN

/// The result of a batch: each input's outcome, in input order.
public struct BatchOutcome: Sendable {
    public let results: [(input: PlannedInput, outcome: InputOutcome)]
    /// Paths given that do not exist.
    public let missing: [SkippedPath]

    /// True when every input finished with status ok and no path was missing.
    public var succeeded: Bool { missing.isEmpty && results.allSatisfy { $0.outcome.status == .ok } }
}

/// Analyses a batch of inputs into `outputDirectory/NAME/`, several inputs at once when asked.
public struct BatchAnalysis: Sendable {
    public let definitionForVideo: PipelineDefinition
    public let definitionForPhotos: PipelineDefinition
    public let models: ModelStore
    public let outputDirectory: String
    /// Inputs analysed at the same time.
    public let jobs: Int

    public init(videoPipeline: PipelineDefinition, photoPipeline: PipelineDefinition, models: ModelStore,
                outputDirectory: String, jobs: Int = 1) {
        precondition(jobs >= 1, "jobs must be at least 1")
        self.definitionForVideo = videoPipeline
        self.definitionForPhotos = photoPipeline
        self.models = models
        self.outputDirectory = outputDirectory
        self.jobs = jobs
    }

    /// Runs every input; one input's failure never stops the others.
    ///
    /// - Throws: `WeightError` if the models cannot be loaded (nothing is analysed then).
    public func run(paths: [String], reporter: any AnalysisReporter) throws -> BatchOutcome {
        // Frames run in parallel already; one BLAS thread per product avoids oversubscribing the cores.
        BLAS.setThreads(1)
        let videoAnalyzer = try analyzer(for: definitionForVideo)
        let photoAnalyzer = definitionForPhotos == definitionForVideo ? videoAnalyzer : try analyzer(for: definitionForPhotos)
        let plan = InputPlanner.plan(paths)
        let outcomes = OutcomeTable(count: plan.inputs.count)
        let next = Counter()
        let group = DispatchGroup()
        let queue = DispatchQueue(label: "moodline.inputs", attributes: .concurrent)
        for _ in 0..<min(jobs, max(plan.inputs.count, 1)) {
            queue.async(group: group) {
                while let i = next.take(below: plan.inputs.count) {
                    let input = plan.inputs[i]
                    let (definition, analyzer) = input.isVideo ? (definitionForVideo, videoAnalyzer) : (definitionForPhotos, photoAnalyzer)
                    let job = InputAnalysis(input: input, definition: definition, analyzer: analyzer.analyzer, models: analyzer.records,
                                            outputFolder: (outputDirectory as NSString).appendingPathComponent(input.outputName),
                                            reporter: reporter)
                    outcomes.set(i, job.run())
                }
            }
        }
        group.wait()
        return BatchOutcome(results: zip(plan.inputs, outcomes.values).map { ($0, $1) }, missing: plan.missing)
    }

    private func analyzer(for definition: PipelineDefinition) throws -> (analyzer: FrameAnalyzer, records: [ModelRecord]) {
        // The analyser applies the minimum face size itself, in source pixels.
        var detectorSettings = definition.detector
        detectorSettings.minimumFaceSizePixels = 0
        let detector = try models.faceDetector(detectorSettings)
        let classifier = try models.emotionClassifier()
        let records = try [definition.detector.model.weightsName, "emotion_mini_xception"].map { name in
            let entry = try models.manifest.model(name)
            return ModelRecord(name: name, file: entry.file, sha256: entry.sha256, licence: entry.licence,
                               source: "\(entry.sourcePackage): \(entry.sourceFile)")
        }
        let analyzer = FrameAnalyzer(detector: detector, aligner: FaceAligner(geometry: definition.crop), classifier: classifier,
                                     minimumFaceSizePixels: definition.detector.minimumFaceSizePixels)
        return (analyzer, records)
    }
}

/// Hands out indices 0, 1, 2, ... to the batch's workers. `@unchecked Sendable`: guarded by `lock`.
private final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < limit else { return nil }
        next += 1
        return next - 1
    }
}

/// Outcomes by input index, filled from several queues. `@unchecked Sendable`: guarded by `lock`.
private final class OutcomeTable: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [InputOutcome?]

    init(count: Int) { stored = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ outcome: InputOutcome) {
        lock.lock()
        stored[index] = outcome
        lock.unlock()
    }

    var values: [InputOutcome] {
        lock.lock()
        defer { lock.unlock() }
        return stored.map { $0! }
    }
}
