import MoodlineNN

/// One emotion classifier the registry offers: its name in pipelines and `--classifier`, what it is, its weights,
/// the crop side it reads, and how to build its network (with the temperature its training fitted).
public struct EmotionClassifierEntry: Sendable {
    /// The name pipelines, `--classifier` and `evaluate --model` use, e.g. `moodline`.
    public let name: String
    /// What it is, one phrase, for `--help` and errors.
    public let summary: String
    /// Its weights' names in `Weights/MANIFEST.json`.
    public let weights: [String]
    /// The side of the square crop it reads, in pixels.
    public let inputSize: Int
    /// Builds the network and its softmax temperature from the store's weights.
    public let make: @Sendable (ModelStore) throws -> (network: any EmotionNetwork, temperature: Double)

    public init(
        name: String, summary: String, weights: [String], inputSize: Int,
        make: @escaping @Sendable (ModelStore) throws -> (network: any EmotionNetwork, temperature: Double)
    ) {
        self.name = name
        self.summary = summary
        self.weights = weights
        self.inputSize = inputSize
        self.make = make
    }
}
