import Foundation

/// Something that takes an input's results: the ordered, tracked frames one by one, then a finish event with the
/// track summaries and the run's facts. The writers, the manifest and every later output (report, exports,
/// annotated video) are sinks.
///
/// A sink writes only under its own temporary names until `finish`, so `discard` (after a failure elsewhere, or
/// when nothing could be read) leaves nothing behind. Sinks of one input are used from one queue, in order.
///
/// To add an output: write one type conforming to `FrameSink` in `Output/`, and add one line for it to
/// `OutputSinks.builtIn` (or `OutputSinks.register`). Its name is then accepted in a pipeline's `outputs.formats`
/// and by `--formats`.
public protocol FrameSink: AnyObject {
    /// The file the sink writes in the input's folder, as `run.json` lists it.
    var fileName: String { get }
    /// Takes the next frame, in order. A frame of a photo that could not be read has `hasPicture == false`.
    func consume(_ frame: TrackedFrame) throws
    /// Writes what remains and puts the file under its final name.
    func finish(_ event: FinishEvent) throws
    /// Removes whatever the sink has written so far.
    func discard()
    /// Whether the input's other outputs stand when this one fails (an extra, such as the annotated video): the
    /// input is then `partial`, with the failure among its problems, rather than failed with nothing kept.
    var isOptional: Bool { get }
    /// Whether the sink names the input's other outputs (a report that links the data files): it is then finished
    /// after the others, so `FinishEvent.outcome.outputs` lists them.
    var linksOtherOutputs: Bool { get }
    /// Files the sink wrote besides `fileName`, known once it has finished (a large photo report's further pages),
    /// so `run.json` lists them and the server offers them.
    var extraFileNames: [String] { get }
}

extension FrameSink {
    public var isOptional: Bool { false }
    public var linksOtherOutputs: Bool { false }
    public var extraFileNames: [String] { [] }
}

/// What a sink learns at the end of an input.
public struct FinishEvent {
    /// The input and how it was analysed.
    public let input: PlannedInput
    public let definition: PipelineDefinition
    /// Per-track summaries (empty when tracking is off), by ID.
    public let tracks: [TrackSummary]
    /// Every track's emotion episodes, by track and then time.
    public let episodes: [Episode]
    /// Which person each track is, and the persons' summaries (empty when tracking is off).
    public let persons: PersonTable
    /// The main subject's person ID (nil when `tracking.subject` is `all`, or there are no tracks).
    public let subject: Int?
    /// The input's outcome so far: counts, problems, and the outputs already finished.
    public let outcome: InputOutcome

    public init(
        input: PlannedInput, definition: PipelineDefinition, tracks: [TrackSummary], episodes: [Episode] = [],
        persons: PersonTable? = nil, subject: Int? = nil, outcome: InputOutcome
    ) {
        self.input = input
        self.definition = definition
        self.tracks = tracks
        self.episodes = episodes
        self.persons = persons ?? PersonTable(tracks: tracks, identities: nil, settings: definition.persons)
        self.subject = subject
        self.outcome = outcome
    }

    /// Track `id`'s person ID (nil for a track not among the summaries).
    public func person(ofTrack id: Int) -> Int? { persons.person(ofTrack: id) }

    /// Whether track `id` is one of the main subject's.
    public func isSubject(track id: Int) -> Bool {
        subject != nil && persons.person(ofTrack: id) == subject
    }

    /// The tracks with the subject's first, then by ID: the order reports show them in.
    public var tracksSubjectFirst: [TrackSummary] {
        tracks.filter { isSubject(track: $0.id) } + tracks.filter { !isSubject(track: $0.id) }
    }
}

/// What a sink is made from.
public struct SinkContext {
    /// The input's output folder.
    public let folder: String
    public let input: PlannedInput
    public let definition: PipelineDefinition
    /// For sinks that resume a photo set: the partial file and length their checkpoint recorded.
    let resuming: PhotoSetCheckpoint.PartialFile?

    /// A context for a fresh sink (not resuming a checkpoint).
    public init(folder: String, input: PlannedInput, definition: PipelineDefinition) {
        self.init(folder: folder, input: input, definition: definition, resuming: nil)
    }

    init(folder: String, input: PlannedInput, definition: PipelineDefinition, resuming: PhotoSetCheckpoint.PartialFile?)
    {
        self.folder = folder
        self.input = input
        self.definition = definition
        self.resuming = resuming
    }

    /// Whether the input gets tracks (and so per-track outputs).
    public var hasTracks: Bool { definition.tracking.enabled }

    /// Whether the input's rows get person IDs: a video's with tracks (each track its own person when persons are
    /// off), a photo set's faces when persons are on and the set is not a shard (`PlannedInput.groupsPhotoPersons`).
    public var hasPersons: Bool {
        input.traits.isPhotoSet ? input.groupsPhotoPersons(definition) : definition.tracking.enabled
    }

    /// Whether a photo set's tables keep their staged rows and its report its fragments once written: for `merge`
    /// (a shard) or for `moodline regroup` (`readings` asked for), where its faces were grouped into persons.
    var keepsPhotoRows: Bool {
        input.traits.isPhotoSet && hasPersons
            && (input.shardOf != nil || definition.outputs.formats.contains(.readings))
    }

    /// `resuming` as a path in the folder and a length.
    var resumingPath: (path: String, bytes: Int)? {
        resuming.map { ((folder as NSString).appendingPathComponent($0.file), $0.bytes) }
    }
}

/// A sink whose rows survive a stop or a crash: a photo set's checkpoint records its partial file and length, and
/// a later run continues from there.
protocol CheckpointedSink: FrameSink {
    /// Flushes the rows so far to the kernel and says where they are.
    func flushForCheckpoint() throws -> PhotoSetCheckpoint.PartialFile
    /// Moves the partial file to `path` (a name no run commits), for the next run to resume.
    func setAside(as path: String) throws
}
