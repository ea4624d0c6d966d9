import Synchronization

/// The one place outputs are registered: a pipeline's `outputs.formats` names them, and these make them.
public enum OutputSinks {
    /// Each output's name in a pipeline, its file, the inputs it applies to (by their traits), and what makes its sink:
    /// nil where it does not apply for another reason (per-track outputs without tracking). One line per sink; a name
    /// may have several sinks for inputs of different traits (the report). All of these but the `optIn` ones are
    /// standard: a pipeline without an `outputs` section writes them.
    static let builtIn:
        [(name: String, file: String, scope: SinkScope, make: @Sendable (SinkContext) throws -> (any FrameSink)?)] = [
            ("csv", "frames.csv", .everyInput, { try FramesCSVWriter(context: $0) }),
            ("jsonl", "frames.jsonl", .everyInput, { try FramesJSONLWriter(context: $0) }),
            ("tracks", "tracks.json", .everyInput, { TracksJSONWriter(context: $0) }),
            ("track_ends", "tracks.jsonl", .live, { $0.hasTracks ? try TrackEndsWriter(context: $0) : nil }),
            // One name, two files: the persons' summaries, and the table of tracks a user edits to regroup them.
            ("persons", "persons.json", .timed, { $0.hasTracks ? PersonsJSONWriter(context: $0) : nil }),
            ("persons", PersonsCSVWriter.fileName, .timed, { $0.hasTracks ? PersonsCSVWriter(context: $0) : nil }),
            // A photo set's table of faces a user edits to regroup them.
            (
                "persons", PersonsCSVWriter.fileName, .photoSets,
                { $0.hasPersons ? PhotoPersonsCSVWriter(context: $0) : nil }
            ),
            ("timeline", "timeline.csv", .everyInput, { $0.hasTracks ? TimelineCSVWriter(context: $0) : nil }),
            ("seconds", "seconds.csv", .everyInput, { $0.hasTracks ? SecondsCSVWriter(context: $0) : nil }),
            ("episodes", "episodes.csv", .everyInput, { $0.hasTracks ? EpisodesCSVWriter(context: $0) : nil }),
            // One name, three files: the ELAN document and the time series it links.
            ("eaf", "episodes.eaf", .timed, { $0.hasTracks ? ELANWriter(context: $0) : nil }),
            ("eaf", "episodes_timeseries.csv", .timed, { $0.hasTracks ? ELANTimeSeriesDataWriter(context: $0) : nil }),
            (
                "eaf", "episodes_tsconf.xml", .timed,
                { $0.hasTracks ? ELANTimeSeriesConfigurationWriter(context: $0) : nil }
            ),
            ("vtt", "episodes.vtt", .timed, { $0.hasTracks ? SubtitleWriter(context: $0, format: .webVTT) : nil }),
            ("srt", "episodes.srt", .timed, { $0.hasTracks ? SubtitleWriter(context: $0, format: .subRip) : nil }),
            // Only where segments are given (`outputs.segments`), which add the name to the formats.
            ("segments", "segments.csv", .timed, { SegmentsCSVWriter.make(context: $0) }),
            ("photos", "photos.csv", .photoSets, { try PhotosCSVWriter(context: $0) }),
            // One name, two sinks: the page for frames in time and the contact sheet for a photo set.
            ("report", "report.html", .timed, { VideoReportWriter(context: $0) }),
            ("report", "report.html", .photoSets, { try PhotoReportWriter(context: $0) }),
            // A second decode of the whole input: a live stream cannot be read twice.
            ("annotate", "annotated.mp4", .timedAndReadableTwice, { AnnotatedVideoWriter(context: $0) }),
            // What `moodline regroup` writes every output again from (a recorded video's frames, read once). A photo
            // set with persons has no file of its own for it: its tables keep their rows' face numbers and its report
            // its fragments, hidden (`PersonColumnRows.keptRowsName`, `PhotoReportWriter.fragmentsFileName`).
            (
                "readings", ReadingsRecord.fileName, .timedAndReadableTwice,
                { $0.hasTracks ? try ReadingsRecordWriter(context: $0) : nil }
            ),
            // Biometric data: only where asked for (`--write-embeddings`), and only where faces were embedded.
            (
                "embeddings", FaceEmbeddingsWriter.fileName, .everyInput,
                { $0.hasPersons && $0.definition.persons.enabled ? FaceEmbeddingsWriter(context: $0) : nil }
            ),
        ]

    /// The outputs written only where asked for: the annotated video (a second decode and an encode), the face
    /// embeddings (biometric data), and the segments' table (it needs a segments file).
    static let optIn: Set<String> = ["annotate", "embeddings", "segments"]

    /// One output on offer.
    struct Entry: Sendable {
        let name: String
        let file: String
        /// Whether a pipeline without an `outputs` section writes it.
        let isStandard: Bool
        /// The inputs it is made for.
        let scope: SinkScope
        let make: @Sendable (SinkContext) throws -> (any FrameSink)?
    }

    private static let entries = Mutex(
        builtIn.map {
            Entry(name: $0.name, file: $0.file, isStandard: !optIn.contains($0.name), scope: $0.scope, make: $0.make)
        })

    /// Every output on offer, built in or registered.
    static var registered: [Entry] { entries.withLock { $0 } }

    /// Offers another output under `name`, writing `file` in each input's folder. It is written only where a
    /// pipeline's `outputs.formats` (or `--formats`) names it, never by default, and only for the inputs in `scope`;
    /// `make` may still return nil for an input it does not apply to.
    public static func register(
        name: String, file: String, scope: SinkScope = .everyInput,
        make: @escaping @Sendable (SinkContext) throws -> (any FrameSink)?
    ) {
        entries.withLock { list in
            list =
                list.filter { $0.name != name } + [
                    Entry(name: name, file: file, isStandard: false, scope: scope, make: make)
                ]
        }
    }

    /// Withdraws an output `register` offered (a built-in one stays).
    public static func remove(name: String) {
        entries.withLock { list in list = list.filter { $0.name != name || builtIn.contains { $0.name == name } } }
    }

    /// Every file a sink may write (a rerun clears them all before writing anew).
    static var fileNames: [String] { unique(registered.map(\.file)) }

    /// The names `outputs.formats` accepts, in order.
    public static var names: [String] { unique(registered.map(\.name)) }

    /// The sink registered as `name` for inputs of these traits; nil when that output does not apply to them.
    static func entry(_ name: String, for traits: SourceTraits) -> Entry? {
        registered.first { $0.name == name && $0.scope.includes(traits) }
    }

    /// Every sink registered as `name` for inputs of these traits (one output may write several files).
    static func entries(_ name: String, for traits: SourceTraits) -> [Entry] {
        registered.filter { $0.name == name && $0.scope.includes(traits) }
    }

    /// The (first) sink registered as `name`, for one input; nil when that output does not apply to it.
    public static func make(_ name: String, context: SinkContext) throws -> (any FrameSink)? {
        try entry(name, for: context.input.traits)?.make(context)
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0).inserted }
    }

    /// The sinks for `definition.outputs.formats` that apply to the input, in its order, each with its format.
    /// (The manifest is not among them: `run.json` is always written, always last, by the runner, since it marks
    /// the folder complete.)
    static func make(
        for definition: PipelineDefinition, context: (String) -> SinkContext
    ) throws -> [(format: OutputFormat, sink: any FrameSink)] {
        var sinks: [(format: OutputFormat, sink: any FrameSink)] = []
        do {
            for format in definition.outputs.formats {
                precondition(
                    names.contains(format.rawValue), "output \(format.rawValue) passed validation but is not registered"
                )
                let made = context(format.rawValue)
                for entry in entries(format.rawValue, for: made.input.traits) {
                    guard let sink = try entry.make(made) else { continue }
                    precondition(
                        sink.fileName == entry.file,
                        "sink \(entry.name) writes \(sink.fileName), registered as \(entry.file)")
                    sinks.append((format, sink))
                }
            }
        } catch {
            for entry in sinks { entry.sink.discard() }
            throw error
        }
        return sinks
    }
}

/// The name of an output, as a pipeline's `outputs.formats` gives it (`csv`, `jsonl`, `tracks`, ...).
public struct OutputFormat: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// The format of that name; nil for a name no sink is registered under.
    public init?(rawValue: String) {
        guard OutputSinks.names.contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// Every registered output.
    public static var all: [OutputFormat] { OutputSinks.names.compactMap(OutputFormat.init(rawValue:)) }

    /// The annotated video: a second decode and an encode of the whole input, so never on unless asked for.
    public static let annotatedVideo = OutputFormat(rawValue: "annotate")!

    /// What `moodline regroup` needs: a video's `readings.bin`; a photo set's rows and report fragments, kept.
    public static let readings = OutputFormat(rawValue: "readings")!

    /// Per segment and person (`segments.csv`): written where segments are given.
    public static let segments = OutputFormat(rawValue: "segments")!

    /// The face embeddings persons were grouped by: biometric data, so never on unless asked for.
    public static let faceEmbeddings = OutputFormat(rawValue: "embeddings")!

    /// What a pipeline without an `outputs` section writes: the built-in outputs but the opt-in ones (an output
    /// registered later is written only where a pipeline names it).
    public static var standard: [OutputFormat] {
        OutputSinks.registered.filter(\.isStandard).compactMap { OutputFormat(rawValue: $0.name) }
    }

    public var description: String { rawValue }
}
