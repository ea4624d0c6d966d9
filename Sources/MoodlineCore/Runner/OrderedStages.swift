import Foundation

/// The serial end of the pipeline: tracking, aggregation and the sinks, fed one frame at a time in order.
///
/// For a photo set it tells the set's `PhotoSetProgress` of each photo, which keeps the checkpoint: after each photo
/// the sinks' rows are flushed to the kernel and the checkpoint records how far the set has got, so a crash or a stop
/// loses at most the photos in flight.
struct OrderedStages {
    let input: PlannedInput
    let definition: PipelineDefinition
    let folder: String

    private var tracker: TrackAssigner
    private var cutDetector: ShotCutDetector
    /// The shot cuts found so far, in time order.
    private var cuts: [ShotCut] = []
    /// Aggregation and the sinks.
    private var tail: ReadingsTail
    /// Who each track is, checked with the face embedder (nil when persons or tracking are off).
    private var identities: TrackIdentities?
    /// Who each face of a photo set is (nil for other inputs, or persons off); made when the sinks open.
    private var photoIdentities: PhotoFaceIdentities?
    private let embedder: (any FaceEmbedding)?
    private var times = StageTimes()
    private var faces = 0
    /// Frames whose whole picture was searched for faces.
    private var framesSearched = 0
    private var failure: Error?
    private var discarded = false
    private let clock = ContinuousClock()
    /// A photo set's accounting and checkpoint (nil for other inputs, which restart from the beginning).
    private var progress: PhotoSetProgress?

    /// `checkpointKey`: the checkpoint's key, for photo sets. `embedder`: the face embedder that checks tracks and
    /// groups them into persons (nil: every track is its own person).
    init(
        input: PlannedInput, definition: PipelineDefinition, folder: String, checkpointKey: String? = nil,
        embedder: (any FaceEmbedding)? = nil
    ) {
        self.input = input
        self.definition = definition
        self.folder = folder
        if let checkpointKey, let list = input.source.fileList {
            progress = PhotoSetProgress(key: checkpointKey, list: list, folder: folder)
        }
        tracker = TrackAssigner(settings: definition.tracking)
        cutDetector = ShotCutDetector(settings: definition.tracking)
        self.embedder = definition.persons.enabled ? embedder : nil
        if definition.tracking.enabled, definition.persons.enabled, let embedder {
            identities = TrackIdentities(settings: definition.persons, embedder: embedder)
        }
        tail = ReadingsTail(input: input, definition: definition, folder: folder)
    }

    /// Photos already finished by the run the stages resumed.
    var resumedFiles: Int { progress?.filesDone ?? 0 }
    /// Photos read so far (a photo set's), this run and any it resumed.
    var photosRead: Int { progress?.filesRead ?? 0 }

    /// Makes the sinks the pipeline asks for, continuing `checkpoint`'s partial files when given.
    mutating func open(resuming checkpoint: PhotoSetCheckpoint? = nil) throws {
        tail.sinks = try OutputSinks.make(for: definition) { format in
            SinkContext(
                folder: folder, input: input, definition: definition, resuming: checkpoint?.partialFiles[format])
        }
        if let checkpoint, progress != nil {
            progress?.resume(from: checkpoint)
            faces = checkpoint.faces
        }
        if input.groupsPhotoPersons(definition), let embedder {
            let spill = checkpoint?.partialFiles[PhotoFaceIdentities.spillName].map {
                ((folder as NSString).appendingPathComponent($0.file), $0.bytes)
            }
            photoIdentities = try PhotoFaceIdentities(embedder: embedder, folder: folder, resuming: spill)
        }
    }

    mutating func consume(_ frame: AnalysedFrame) throws {
        if let failure = frame.failure {
            throw InputFailure(
                problem: InputProblem(
                    file: frame.stamp.file ?? input.path, frame: frame.stamp.index, code: .modelOutput, message: failure
                ))
        }
        times = times + frame.times
        faces += frame.faces.count
        progress?.count(frame)
        var start = clock.now
        var ids: [Int?] = frame.faces.map { _ in nil }
        var ended: [TrackSummary] = []
        if frame.hasPicture {
            if frame.detectionStep != .followed { framesSearched += 1 }
            tail.countPicture(at: frame.stamp.timeSeconds)
            if definition.tracking.enabled {
                // A track never spans a cut: every track ends before the new shot's faces are assigned.
                if definition.tracking.endAtCuts, input.traits.isTimed, let signature = frame.signature,
                    cutDetector.isCut(before: signature)
                {
                    tracker.endAllTracks()
                    cuts.append(
                        ShotCut(
                            frame: frame.stamp.index, timeSeconds: frame.stamp.timeSeconds,
                            difference: cutDetector.lastDifference ?? 0))
                }
                ids = tracker.assign(frame.faces.map(\.detection.box), at: frame.stamp.timeSeconds)
                if identities != nil {
                    // Timed apart (`embed`), not as tracking.
                    let checking = clock.now
                    checkIdentities(frame, &ids)
                    start = start + (clock.now - checking)
                }
                tail.addReadings(of: frame, trackIDs: ids.map { $0! })
                // A live input has no end to wait for: each track is summarised as soon as it ends.
                let gone = tracker.takeEnded()
                if input.traits.isLive { ended = gone.compactMap { tail.aggregator.summary(of: $0) } }
            }
        }
        times.track += (clock.now - start).seconds
        start = clock.now
        var keys: [Int?]?
        if photoIdentities != nil, frame.hasPicture, let fileIndex = frame.stamp.fileIndex {
            // A photo's faces are known by their numbers in the set, counted from 1.
            let firstKey = faces - frame.faces.count + 1
            let checking = clock.now
            try photoIdentities!.add(frame.faces, firstKey: firstKey, photo: fileIndex)
            times.embed += (clock.now - checking).seconds
            start = start + (clock.now - checking)
            keys = frame.faces.indices.map { firstKey + $0 }
        }
        try tail.deliver(TrackedFrame(frame: frame, trackIDs: ids, endedTracks: ended, personKeys: keys))
        times.write += (clock.now - start).seconds
        if let fileIndex = frame.stamp.fileIndex {
            try progress?.photoWritten(fileIndex, faces: faces, sinks: tail.sinks, identities: photoIdentities)
        }
    }

    /// Checks who the frame's faces are against their tracks; a face that is someone else restarts its track under
    /// a new ID (a cut the picture difference missed). Every face is checked when the picture changed half as much
    /// as a cut, or jumped from what the shot had been doing (`ShotCutDetector.lastWasJump`).
    private mutating func checkIdentities(_ frame: AnalysedFrame, _ ids: inout [Int?]) {
        let start = clock.now
        defer { times.embed += (clock.now - start).seconds }
        let suspicious =
            input.traits.isTimed
            && ((cutDetector.lastDifference ?? 0) >= definition.tracking.cutThreshold / 2 || cutDetector.lastWasJump)
        let trackIDs = ids.map { $0! }
        let others = identities!.check(
            frame.faces, trackIDs: trackIDs, frameIndex: frame.stamp.index, at: frame.stamp.timeSeconds,
            suspicious: suspicious)
        for (face, embedding) in others {
            guard let restarted = tracker.restart(trackIDs[face]) else { continue }
            ids[face] = restarted
            identities!.begin(
                restarted, with: embedding, face: frame.faces[face],
                sighting: .init(
                    frameIndex: frame.stamp.index, timeSeconds: frame.stamp.timeSeconds,
                    box: frame.faces[face].detection.box))
        }
    }

    mutating func fail(_ error: Error) {
        failure = error
        discardOutputs()
    }

    /// Removes the partial outputs, so nothing that looks like a result is left (run.json says what happened).
    mutating func discardOutputs() {
        tail.discardSinks()
        photoIdentities?.discard()
        discarded = true
        PhotoSetCheckpoint.remove(in: folder)
    }

    /// Keeps a stopped photo set's rows and checkpoint for the next run, under names no run commits.
    mutating func setAsideForResume(into outcome: inout InputOutcome) {
        do {
            for (_, sink) in tail.sinks {
                guard let checkpointed = sink as? any CheckpointedSink else { continue }
                try checkpointed.setAside(as: (folder as NSString).appendingPathComponent(".\(sink.fileName).resume"))
            }
            try photoIdentities?.setAside(
                as: (folder as NSString).appendingPathComponent(".\(PhotoFaceIdentities.spillName).resume"))
            try progress?.save(faces: faces, sinks: tail.sinks, identities: photoIdentities)
        } catch {
            outcome.problems.append(
                InputProblem(file: folder, frame: nil, code: .output, message: "\(error)", cause: error))
        }
        tail.sinks = []
        fillCounts(into: &outcome)
    }

    private func fillCounts(into outcome: inout InputOutcome) {
        outcome.faces = faces
        outcome.framesSearched = framesSearched
        outcome.facesEmbedded = identities?.embedded ?? photoIdentities?.embedded ?? 0
        outcome.analysedSeconds = tail.analysedSeconds
        outcome.analysedFrames = tail.framesWithPicture
        // Only frames in time have shots: a photo set (one frame per photo) says nothing of cuts.
        if definition.tracking.enabled && definition.tracking.endAtCuts && input.traits.isTimed {
            outcome.shotCuts = cuts
        }
        outcome.times = outcome.times + times
        progress?.fill(&outcome)
        // Every photo is searched whole: as many as were sampled, a resumed set's earlier photos too.
        if progress != nil { outcome.framesSearched = outcome.framesSampled }
    }

    /// Finishes every sink in order (each puts its file under its final name) and returns the track summaries.
    @discardableResult
    mutating func finish(into outcome: inout InputOutcome) -> [TrackSummary] {
        fillCounts(into: &outcome)
        let start = clock.now
        var summaries: [TrackSummary] = []
        do {
            if failure == nil && !discarded {
                summaries = try tail.finish(into: &outcome) { [identities, photoIdentities, definition] in
                    photoIdentities.map { PersonTable(faces: $0.segments, settings: definition.persons) }
                        ?? PersonTable(
                            tracks: $0, identities: identities, settings: definition.persons, facesOfTrack: $1)
                }
                PhotoSetCheckpoint.remove(in: folder)
                photoIdentities?.discard()
            }
        } catch {
            photoIdentities?.discard()
            failure = error
            tail.discardSinks()
            for name in outcome.outputs + OutputFolder.keptNames {
                unlink((folder as NSString).appendingPathComponent(name))
            }
            outcome.outputs = []
        }
        if let failure {
            if let known = failure as? InputFailure {
                outcome.problems.append(known.problem)
            } else {
                outcome.problems.append(
                    InputProblem(file: folder, frame: nil, code: .output, message: "\(failure)", cause: failure))
            }
        }
        outcome.times.write += (clock.now - start).seconds
        return summaries
    }
}

/// A failure that ends an input, with the problem to report for it.
struct InputFailure: Error, CustomStringConvertible {
    let problem: InputProblem
    var description: String { problem.message }
}
