import Foundation

/// The end of an input's pipeline after tracking: the track aggregator, the persons' frame counts and the sinks.
/// The analysis (`OrderedStages`) feeds it tracked frames as they come; `moodline regroup` feeds it the frames a run
/// recorded (`ReadingsRecord`), so a regrouped folder is written by the very code a rerun would use.
struct ReadingsTail {
    let input: PlannedInput
    let definition: PipelineDefinition
    let folder: String
    var sinks: [(format: OutputFormat, sink: any FrameSink)] = []
    private(set) var aggregator: TrackAggregator
    /// Each track's faces, uncertain ones too: the frames its person is shown in.
    private(set) var facesOfTrack: [Int: Int] = [:]
    /// The first and last sampled frames' times and how many frames had a picture: the span persons' shares are of.
    private(set) var firstSeconds: Double?, lastSeconds: Double?, framesWithPicture = 0
    /// Track IDs given so far (they count up from 1), kept or not.
    private(set) var tracksGiven = 0

    init(input: PlannedInput, definition: PipelineDefinition, folder: String) {
        self.input = input
        self.definition = definition
        self.folder = folder
        aggregator = TrackAggregator(
            smoothing: definition.smoothing, maximumGapSeconds: definition.tracking.maximumMissingSeconds)
        // A live input may run for days: its observations go to disk in batches, so memory stays flat.
        if input.traits.isLive { aggregator.spill(toFolder: folder) }
    }

    /// Counts a frame with a picture toward the analysed span (before its faces are tracked).
    mutating func countPicture(at seconds: Double) {
        if firstSeconds == nil { firstSeconds = seconds }
        lastSeconds = seconds
        framesWithPicture += 1
    }

    /// Adds a frame's tracked faces to their tracks' readings. Uncertain readings keep their track but stay out of
    /// smoothing and summaries unless the pipeline asks for them.
    mutating func addReadings(of frame: AnalysedFrame, trackIDs: [Int]) {
        tracksGiven = max(tracksGiven, trackIDs.max() ?? 0)
        for id in trackIDs { facesOfTrack[id, default: 0] += 1 }
        for (face, id) in zip(frame.faces, trackIDs)
        where definition.quality.includeUncertain || !face.quality.isUncertain {
            aggregator.add(
                trackID: id, frameIndex: frame.stamp.index, seconds: frame.stamp.timeSeconds, scores: face.scores,
                box: face.detection.box)
        }
    }

    /// Hands a tracked frame to every sink.
    func deliver(_ tracked: TrackedFrame) throws {
        for entry in sinks { try entry.sink.consume(tracked) }
    }

    /// The seconds the sampled frames span, one frame step past the last (0 before two frames).
    var analysedSeconds: Double {
        guard let firstSeconds, let lastSeconds, framesWithPicture > 1 else { return 0 }
        let span = lastSeconds - firstSeconds
        return span + span / Double(framesWithPicture - 1)
    }

    /// Summarises the tracks, groups them into persons (`persons`, from the summaries and each track's faces),
    /// chooses the subject and finishes every sink in order (each puts its file under its final name); returns the
    /// summaries. Throws the first failure of a sink that is not optional.
    mutating func finish(
        into outcome: inout InputOutcome, persons group: ([TrackSummary], [Int: Int]) throws -> PersonTable
    )
        throws -> [TrackSummary]
    {
        let summaries = definition.tracking.enabled ? aggregator.summaries() : []
        outcome.tracks = summaries.count
        // frames.csv names every track as its frames come, before a track's fate is known; say which never made it.
        let kept = Set(summaries.map(\.id))
        outcome.tracksLeftOut = tracksGiven > 0 ? (1...tracksGiven).filter { !kept.contains($0) } : []
        if let spillProblem = aggregator.spillProblem {
            outcome.problems.append(
                InputProblem(
                    file: folder, frame: nil, code: .other, message: "observations stayed in memory: \(spillProblem)"))
        }
        let finder = EpisodeFinder(
            settings: definition.episodes, maximumGapSeconds: definition.tracking.maximumMissingSeconds)
        let episodes = summaries.flatMap { finder.episodes(trackID: $0.id, timeline: $0.timeline) }
        let persons = try group(summaries, facesOfTrack)
        outcome.persons = persons.count
        outcome.subject = definition.tracking.subject.pick(
            from: persons.persons, picture: outcome.media.map(\.pictureSize))
        // The end-of-run line names the subject's reading, or that of the person on screen longest.
        let named = outcome.subject ?? SubjectChoice.longest.pick(from: persons.persons, picture: nil)
        if let person = named.flatMap(persons.person) {
            let lead = person.timeShare.indices.max { person.timeShare[$0] < person.timeShare[$1] }!
            outcome.subjectReading = (Emotion.allCases[lead], person.timeShare[lead])
            outcome.subjectShare = input.traits.isTimed ? person.share(ofFrames: framesWithPicture) : nil
        }
        // Sinks that link the others finish after them.
        for (_, sink) in sinks.filter({ !$0.sink.linksOtherOutputs }) + sinks.filter(\.sink.linksOtherOutputs) {
            do {
                try sink.finish(
                    FinishEvent(
                        input: input, definition: definition, tracks: summaries, episodes: episodes,
                        persons: persons, subject: outcome.subject, outcome: outcome))
            } catch  where sink.isOptional {
                sink.discard()
                outcome.problems.append(
                    InputProblem(
                        file: (folder as NSString).appendingPathComponent(sink.fileName), frame: nil,
                        code: .optionalOutput, message: "\(sink.fileName) was not written: \(error)", cause: error))
                continue
            }
            outcome.outputs.append(sink.fileName)
            outcome.outputs += sink.extraFileNames
        }
        return summaries
    }

    /// Removes whatever the sinks have written.
    mutating func discardSinks() {
        for entry in sinks { entry.sink.discard() }
        sinks = []
    }
}
