/// One face embedder the registry offers: its name, what it is, the weights it loads, the chip it reads, and how
/// to build it.
public struct FaceEmbedderEntry: Sendable {
    /// The embedder's name, e.g. `dlib_resnet`.
    public let name: String
    /// What it is, one phrase, for `--help` and errors.
    public let summary: String
    /// Its weights' names in `Weights/MANIFEST.json`.
    public let weights: [String]
    /// The side of the square RGB chip it reads, in pixels.
    public let chipSize: Int
    /// Builds the embedder from the store's weights.
    public let make: @Sendable (ModelStore) throws -> any FaceEmbedding

    public init(
        name: String, summary: String, weights: [String], chipSize: Int,
        make: @escaping @Sendable (ModelStore) throws -> any FaceEmbedding
    ) {
        self.name = name
        self.summary = summary
        self.weights = weights
        self.chipSize = chipSize
        self.make = make
    }
}
