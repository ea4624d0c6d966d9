import Foundation

/// The serial end of the pipeline: tracking, aggregation and the writers, fed one frame at a time in order.
struct OrderedStages {
    let input: PlannedInput
    let definition: PipelineDefinition
    let folder: String

    private var tracker: TrackAssigner
    private var aggregator: TrackAggregator
    private var csv: FramesCSVWriter?
    private var jsonl: FramesJSONLWriter?
    private var times = StageTimes()
    private var faces = 0
    private var failure: Error?
    private var discarded = false
    private let clock = ContinuousClock()

    init(input: PlannedInput, definition: PipelineDefinition, folder: String) {
        self.input = input
        self.definition = definition
        self.folder = folder
        tracker = TrackAssigner(settings: definition.tracking)
        aggregator = TrackAggregator(smoothing: definition.smoothing, maximumGapSeconds: definition.tracking.maximumMissingSeconds)
    }

    mutating func open() throws {
        let includesFile = !input.isVideo
        if definition.formats.contains(.csv) { csv = try FramesCSVWriter(folder: folder, includesFile: includesFile) }
        if definition.formats.contains(.jsonl) { jsonl = try FramesJSONLWriter(folder: folder, includesFile: includesFile) }
    }

    mutating func consume(_ frame: AnalysedFrame) throws {
        times = times + frame.times
        faces += frame.faces.count
        var start = clock.now
        var ids: [Int?] = frame.faces.map { _ in nil }
        if definition.tracking.enabled {
            ids = tracker.assign(frame.faces.map(\.detection.box), at: frame.timeSeconds)
            for (face, id) in zip(frame.faces, ids) {
                aggregator.add(trackID: id!, frameIndex: frame.index, seconds: frame.timeSeconds, scores: face.scores)
            }
        }
        times.track += (clock.now - start).seconds
        start = clock.now
        let tracked = TrackedFrame(frame: frame, trackIDs: ids)
        try csv?.write(tracked)
        try jsonl?.write(tracked)
        times.write += (clock.now - start).seconds
    }

    mutating func fail(_ error: Error) {
        failure = error
        discardOutputs()
    }

    /// Removes the partial outputs, so nothing that looks like a result is left (run.json says what happened).
    mutating func discardOutputs() {
        csv?.discard()
        jsonl?.discard()
        csv = nil
        jsonl = nil
        discarded = true
    }

    /// Writes the per-track file and puts every output under its final name.
    mutating func finish(into outcome: inout InputOutcome) {
        outcome.faces = faces
        outcome.times = outcome.times + times
        let start = clock.now
        do {
            if failure == nil && !discarded {
                let summaries = definition.tracking.enabled ? aggregator.summaries() : []
                outcome.tracks = summaries.count
                try csv?.commit()
                if csv != nil { outcome.outputs.append("frames.csv") }
                try jsonl?.commit()
                if jsonl != nil { outcome.outputs.append("frames.jsonl") }
                if definition.formats.contains(.tracks) {
                    try TracksJSONWriter.write(summaries, input: input.path, smoothing: definition.smoothing, folder: folder)
                    outcome.outputs.append("tracks.json")
                }
            }
        } catch {
            failure = error
            csv?.discard()
            jsonl?.discard()
        }
        if let failure {
            outcome.problems.append(InputProblem(file: folder, frame: nil, code: "output", message: "\(failure)"))
        }
        outcome.times.write += (clock.now - start).seconds
    }
}
