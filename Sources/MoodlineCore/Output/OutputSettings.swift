/// The `outputs` section: which sinks an input gets (`OutputSinks` lists them).
public struct OutputSettings: StageSettings {
    public var formats: [OutputFormat]
    /// Whether `annotated.mp4` draws each face's seven probabilities as bars beside it.
    public var annotateBars: Bool
    /// The segments file (`segments.csv` per segment and person): a transcript, an ELAN file or a CSV of labelled
    /// ranges, the same for every input; `auto` (`sidecarSegments`) takes each input's own, beside it with its name
    /// (`RangeFile.sidecar(of:)`). Nil: no segments.
    public var segments: String?
    /// The ELAN tiers segments are read from (nil: every tier).
    public var segmentTiers: [String]?
    /// Each person's resting period (`BaselinePeriod`: `0:00-0:30`, or a segment label), or nil for none.
    public var baseline: String?

    public init(
        formats: [OutputFormat] = OutputFormat.standard, annotateBars: Bool = false, segments: String? = nil,
        segmentTiers: [String]? = nil
    ) {
        self.formats = formats
        self.annotateBars = annotateBars
        self.segments = segments
        self.segmentTiers = segmentTiers
    }

    /// `segments` naming each input's own transcript, found beside it.
    public static let sidecarSegments = "auto"

    /// The segments file for the input at `inputPath`: the one named, or its sidecar for `auto`; nil for none.
    public func segmentsFile(for inputPath: String) -> String? {
        guard let segments else { return nil }
        return segments == Self.sidecarSegments ? RangeFile.sidecar(of: inputPath) : segments
    }

    /// The baseline period, when one is set (and valid: `validate` says when not).
    public var baselinePeriod: BaselinePeriod? { baseline.flatMap(BaselinePeriod.init) }

    public static let section = "outputs"

    public static let keys: [SettingKey<OutputSettings>] = [
        SettingKey(
            "formats",
            read: { settings, section in
                guard let names = try section.strings("formats") else { return }
                settings.formats = try names.map { name in
                    guard let format = OutputFormat(rawValue: name) else {
                        throw PipelineError(
                            source: section.source, key: section.key("formats"),
                            message: "has unknown format \(name) (known: \(OutputSinks.names.joined(separator: ", ")))")
                    }
                    return format
                }
            }, write: { .array($0.formats.map { .string($0.rawValue) }) },
            check: { try $1.check(!$0.formats.isEmpty, "formats", "a non-empty list", $0.formats) }),
        .bool("annotate_bars", \.annotateBars),
        // Segments bring their output with them: a pipeline that names a segments file writes `segments.csv`.
        SettingKey(
            "segments",
            read: { settings, section in
                guard let path = try section.string("segments") else { return }
                settings.segments =
                    path == OutputSettings.sidecarSegments || path.isEmpty ? path : PlannedInput.absolutePath(path)
                if !settings.formats.contains(.segments) { settings.formats.append(.segments) }
            }, write: { $0.segments.map(JSONValue.string) },
            check: { try $1.check($0.segments.map { !$0.isEmpty } ?? true, "segments", "a file or auto", "\"\"") }),
        SettingKey(
            "baseline", read: { $0.baseline = try $1.string("baseline") ?? $0.baseline },
            write: { $0.baseline.map(JSONValue.string) },
            check: { settings, rules in
                guard let text = settings.baseline else { return }
                let period = BaselinePeriod(text)
                try rules.check(period != nil, "baseline", "a range START-END (0:00-0:30) or a segment label", text)
                if case .label = period {
                    try rules.check(
                        settings.segments != nil, "baseline", "a range (START-END), or a label of --segments' segments",
                        text)
                }
            }),
        SettingKey(
            "segment_tiers", read: { $0.segmentTiers = try $1.strings("segment_tiers") ?? $0.segmentTiers },
            write: { $0.segmentTiers.map { .array($0.map(JSONValue.string)) } },
            check: {
                try $1.check($0.segmentTiers.map { !$0.isEmpty } ?? true, "segment_tiers", "a non-empty list", "[]")
            }),
    ]

    public static let flags: [SettingFlag<OutputSettings>] = [
        SettingFlag(
            "formats", key: "formats",
            help: "Outputs to write, comma-separated: \(OutputSinks.names.joined(separator: ", "))."
        ) {
            $0.formats = try ($1 ?? "").split(separator: ",").map { name in
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                guard let format = OutputFormat(rawValue: trimmed) else {
                    throw PipelineError(
                        source: "command line", key: nil,
                        message:
                            "--formats: unknown format '\(trimmed)' (known: \(OutputSinks.names.joined(separator: ", "))).",
                        flag: "formats")
                }
                return format
            }
        },
        alsoWriting(
            .annotatedVideo, flag: "annotate",
            help:
                "Also write annotated.mp4: the video with each face's box, track, label and confidence, and its sound."),
        alsoWriting(
            .faceEmbeddings, flag: "write-embeddings",
            help:
                "Also write face_embeddings.jsonl: the face embeddings persons were grouped by (biometric data; kept only in memory otherwise)."
        ),
        SettingFlag(
            "segments", key: "segments",
            help:
                "Also write segments.csv: per segment and person, face coverage, mean probabilities and episodes. FILE is an .srt or .vtt transcript, an ELAN .eaf or a CSV of start,end,label[,speaker], the same for every input; auto takes each input's own, beside it with its name (interview.srt for interview.mp4)."
        ) {
            // Absolute, so that `moodline regroup` run from another folder finds the same file.
            $0.segments = $1.map { $0 == sidecarSegments || $0.isEmpty ? $0 : PlannedInput.absolutePath($0) }
            if !$0.formats.contains(.segments) { $0.formats.append(.segments) }
        },
        SettingFlag(
            "baseline", key: "baseline",
            help:
                "Each person's resting period, START-END (0:00-0:30) or a segment label (with --segments): segments.csv, seconds.csv and persons.json then also give each emotion relative to the person's own mean over it."
        ) { $0.baseline = $1 },
        SettingFlag(
            "segment-tiers", key: "segment_tiers",
            help: "The ELAN tiers to take segments from, comma-separated (default: every tier)."
        ) {
            $0.segmentTiers = ($1 ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        },
        SettingFlag(
            "annotate-bars", key: "annotate_bars",
            help: "Write annotated.mp4 with each face's seven probabilities drawn as bars beside it.", isSwitch: true
        ) {
            if !$0.formats.contains(OutputFormat.annotatedVideo) { $0.formats.append(OutputFormat.annotatedVideo) }
            $0.annotateBars = true
            _ = $1
        },
    ]

    /// A switch that adds an opt-in output to the formats (once).
    private static func alsoWriting(_ format: OutputFormat, flag: String, help: String) -> SettingFlag<OutputSettings> {
        SettingFlag(flag, key: "formats", help: help, isSwitch: true) {
            if !$0.formats.contains(format) { $0.formats.append(format) }
            _ = $1
        }
    }
}
