/// Settings for the emotion classifier (`classifier` in a pipeline file).
public struct ClassifierSettings: StageSettings {
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

    public static let keys: [SettingKey<ClassifierSettings>] = [
        .choice(
            "model", \.model, flag: .init("classifier", help: "Emotion classifier: \(ClassifierModel.choicesHelp).")),
        SettingKey(
            "weights", read: { $0.weightsFile = try $1.string("weights") ?? $0.weightsFile },
            write: { $0.weightsFile.map(JSONValue.string) },
            check: {
                try $1.check(
                    $0.weightsFile.map { !$0.isEmpty && !$0.contains("\u{0}") } ?? true, "weights", "a file's path",
                    $0.weightsFile ?? "")
            },
            flag: SettingFlag(
                "classifier-weights", key: "weights",
                help: "A classifier you trained with Weights/training/train.py: its model.safetensors."
            ) { $0.weightsFile = $1 }),
        .bool(
            "flip_average", \.flipAverage,
            flag: .init("flip-average", help: "Also read each face mirrored and average (slower, steadier).")),
    ]
}
