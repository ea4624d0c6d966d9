import Foundation

/// The serial end of the pipeline: tracking, aggregation and the writers, fed one frame at a time in order.
///
/// For a photo set it also keeps the checkpoint: after each photo its rows are flushed to the kernel and the
/// checkpoint records how far the set has got, so a crash or a stop loses at most the photos in flight.
struct OrderedStages {
    let input: PlannedInput
    let definition: PipelineDefinition
    let folder: String
    /// The checkpoint's key, for photo sets (nil for videos, which restart from the beginning).
    let checkpointKey: String?

    private var tracker: TrackAssigner
    private var aggregator: TrackAggregator
    private var csv: FramesCSVWriter?
    private var jsonl: FramesJSONLWriter?
    private var times = StageTimes()
    private var faces = 0
    private var failure: Error?
    private var discarded = false
    private let clock = ContinuousClock()

    // A photo set's running totals (carried over from a checkpoint when resumed).
    private var filesDone = 0
    private var framesDecoded = 0
    private var framesSampled = 0
    private var filesRead = 0
    private var problems: [InputProblem] = []

    init(input: PlannedInput, definition: PipelineDefinition, folder: String, checkpointKey: String? = nil) {
        self.input = input
        self.definition = definition
        self.folder = folder
        self.checkpointKey = checkpointKey
        tracker = TrackAssigner(settings: definition.tracking)
        aggregator = TrackAggregator(smoothing: definition.smoothing, maximumGapSeconds: definition.tracking.maximumMissingSeconds)
    }

    /// Photos already finished by the run the stages resumed.
    var resumedFiles: Int { filesDone }
    /// Photos read so far (a photo set's), this run and any it resumed.
    var photosRead: Int { filesRead }

    /// Opens the writers, continuing `checkpoint`'s partial files when given.
    mutating func open(resuming checkpoint: PhotoSetCheckpoint? = nil) throws {
        let includesFile = !input.isVideo
        func resume(_ name: String) -> (path: String, bytes: Int)? {
            checkpoint?.partialFiles[name].map { ((folder as NSString).appendingPathComponent($0.file), $0.bytes) }
        }
        if definition.formats.contains(.csv) { csv = try FramesCSVWriter(folder: folder, includesFile: includesFile, resuming: resume("frames.csv")) }
        if definition.formats.contains(.jsonl) { jsonl = try FramesJSONLWriter(folder: folder, includesFile: includesFile, resuming: resume("frames.jsonl")) }
        if let checkpoint {
            filesDone = checkpoint.filesDone
            faces = checkpoint.faces
            framesDecoded = checkpoint.framesDecoded
            framesSampled = checkpoint.framesSampled
            filesRead = checkpoint.filesRead
            problems = checkpoint.problems.map { InputProblem(file: $0.file, frame: $0.frame, code: $0.code, message: $0.message) }
        }
    }

    mutating func consume(_ frame: AnalysedFrame) throws {
        if let failure = frame.failure {
            throw InputFailure(problem: InputProblem(file: frame.file ?? input.path, frame: frame.index, code: "model_output", message: failure))
        }
        times = times + frame.times
        faces += frame.faces.count
        problems += frame.problems
        framesDecoded += frame.framesDecoded
        if frame.hasPicture {
            framesSampled += 1
            if frame.fileIndex != nil { filesRead += 1 }
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
        if let fileIndex = frame.fileIndex {
            filesDone = fileIndex + 1
            try saveCheckpoint()
        }
    }

    /// Flushes the rows so far and records how far the photo set has got.
    private func saveCheckpoint() throws {
        guard let checkpointKey, case .photos(let root, let files, _) = input.kind else { return }
        try csv?.file.flush()
        try jsonl?.file.flush()
        var partial: [String: PhotoSetCheckpoint.PartialFile] = [:]
        for file in [csv?.file, jsonl?.file].compactMap({ $0 }) {
            partial[file.name] = .init(file: (file.partialPath as NSString).lastPathComponent, bytes: file.bytesWritten)
        }
        let checkpoint = PhotoSetCheckpoint(
            key: checkpointKey, filesDone: filesDone, doneDigest: InputFingerprint.listDigest(files.prefix(filesDone), root: root),
            partialFiles: partial, faces: faces, framesDecoded: framesDecoded, framesSampled: framesSampled, filesRead: filesRead,
            problems: problems.map { .init(file: $0.file, frame: $0.frame, code: $0.code, message: $0.message) })
        try checkpoint.save(in: folder)
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
        PhotoSetCheckpoint.remove(in: folder)
    }

    /// Keeps a stopped photo set's rows and checkpoint for the next run, under names no run commits.
    mutating func setAsideForResume(into outcome: inout InputOutcome) {
        do {
            for file in [csv?.file, jsonl?.file].compactMap({ $0 }) {
                try file.setAside(as: (folder as NSString).appendingPathComponent(".\(file.name).resume"))
            }
            try saveCheckpoint()
        } catch {
            outcome.problems.append(InputProblem(file: folder, frame: nil, code: "output", message: "\(error)"))
        }
        csv = nil
        jsonl = nil
        fillCounts(into: &outcome)
    }

    private func fillCounts(into outcome: inout InputOutcome) {
        outcome.faces = faces
        outcome.times = outcome.times + times
        if checkpointKey != nil {
            outcome.framesDecoded = framesDecoded
            outcome.framesSampled = framesSampled
            outcome.filesRead = filesRead
            outcome.problems = problems + outcome.problems
        }
    }

    /// Writes the per-track file and puts every output under its final name.
    mutating func finish(into outcome: inout InputOutcome) {
        fillCounts(into: &outcome)
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
                PhotoSetCheckpoint.remove(in: folder)
            }
        } catch {
            failure = error
            csv?.discard()
            jsonl?.discard()
            for name in outcome.outputs { unlink((folder as NSString).appendingPathComponent(name)) }
            outcome.outputs = []
        }
        if let failure {
            if let known = failure as? InputFailure {
                outcome.problems.append(known.problem)
            } else {
                outcome.problems.append(InputProblem(file: folder, frame: nil, code: "output", message: "\(failure)"))
            }
        }
        outcome.times.write += (clock.now - start).seconds
    }
}

/// A failure that ends an input, with the problem to report for it.
struct InputFailure: Error, CustomStringConvertible {
    let problem: InputProblem
    var description: String { problem.message }
}
