/// The `outputs` section: which sinks an input gets (`OutputSinks` lists them).
public struct OutputSettings: StageSettings {
    public var formats: [OutputFormat]
    /// Whether `annotated.mp4` draws each face's seven probabilities as bars beside it.
    public var annotateBars: Bool

    public init(formats: [OutputFormat] = OutputFormat.standard, annotateBars: Bool = false) {
        self.formats = formats
        self.annotateBars = annotateBars
    }

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
