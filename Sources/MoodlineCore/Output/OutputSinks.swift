/// The one place outputs are registered: a pipeline's `outputs.formats` names them, and these make them.
public enum OutputSinks {
    /// Each output's name in a pipeline and what makes its sink. One line per output.
    static let registered: [(name: String, make: @Sendable (SinkContext) throws -> any FrameSink)] = [
        ("csv", { try FramesCSVWriter(context: $0) }),
        ("jsonl", { try FramesJSONLWriter(context: $0) }),
        ("tracks", { TracksJSONWriter(context: $0) }),
    ]

    /// The names `outputs.formats` accepts, in order.
    public static var names: [String] { registered.map(\.name) }

    /// The sink registered as `name`, for one input.
    public static func make(_ name: String, context: SinkContext) throws -> (any FrameSink)? {
        try registered.first { $0.name == name }?.make(context)
    }

    /// The sinks for `definition.outputs.formats`, in its order. (The manifest is not among them: `run.json` is always
    /// written, always last, by the runner, since it marks the folder complete.)
    static func make(for definition: PipelineDefinition, context: (String) -> SinkContext) throws -> [any FrameSink] {
        var sinks: [any FrameSink] = []
        do {
            for format in definition.outputs.formats {
                guard let entry = registered.first(where: { $0.name == format.rawValue }) else {
                    preconditionFailure("output \(format.rawValue) passed validation but is not registered")
                }
                sinks.append(try entry.make(context(format.rawValue)))
            }
        } catch {
            for sink in sinks { sink.discard() }
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

    public var description: String { rawValue }
}
