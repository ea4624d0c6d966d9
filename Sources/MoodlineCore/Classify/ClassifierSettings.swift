/// Settings for the emotion classifier (`classifier` in a pipeline file).
public struct ClassifierSettings: StageSettings, Codable {
    /// Which shipped network reads the crops.
    public var model: ClassifierModel
    /// A network trained with `Weights/training/train.py` (its `model.safetensors`), used instead of `model`'s
    /// shipped weights; nil for the shipped ones.
    public var weightsFile: String?
    /// Whether each crop is also read mirrored, the two readings averaged (twice the classifier's cost).
    public var flipAverage: Bool

    public init(model: ClassifierModel = .moodline, weightsFile: String? = nil, flipAverage: Bool = false) {
        self.model = model
        self.weightsFile = weightsFile
        self.flipAverage = flipAverage
    }

    public static let section = "classifier"

    public mutating func read(_ section: PipelineSection) throws {
        model = try section.choice("model") ?? model
        weightsFile = try section.string("weights") ?? weightsFile
        flipAverage = try section.bool("flip_average") ?? flipAverage
    }

    public var json: [String: Any] {
        var object: [String: Any] = ["model": model.rawValue, "flip_average": flipAverage]
        if let weightsFile { object["weights"] = weightsFile }
        return object
    }

    public func validate(_ rules: SettingRules) throws {
        try rules.check(weightsFile.map { !$0.isEmpty && !$0.contains("\u{0}") } ?? true, "weights", "a file's path", weightsFile ?? "")
    }

    public static let flags: [SettingFlag<ClassifierSettings>] = [
        SettingFlag("classifier", key: "model",
                    help: "Emotion classifier: \(ClassifierModel.choicesHelp).") {
            $0.model = try SettingFlag<ClassifierSettings>.choice($1, flag: "classifier")
        },
        SettingFlag("classifier-weights", key: "weights",
                    help: "A classifier you trained with Weights/training/train.py: its model.safetensors.") {
            $0.weightsFile = $1
        },
        SettingFlag("flip-average", key: "flip_average", help: "Also read each face mirrored and average (slower, steadier).", isSwitch: true) {
            $0.flipAverage = true
            _ = $1
        },
    ]
}
