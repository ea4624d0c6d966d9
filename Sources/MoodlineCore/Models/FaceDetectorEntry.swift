/// One face detector the registry offers: its name in pipelines and `--detector`, what it is for, the weights it
/// loads, and how to build it.
public struct FaceDetectorEntry: Sendable {
    /// The name pipelines and `--detector` use, e.g. `full_range`.
    public let name: String
    /// What it is for, one phrase, for `--help` and errors.
    public let summary: String
    /// Its weights' names in `Weights/MANIFEST.json` (none for a detector without a network).
    public let weights: [String]
    /// Builds the detector from the store's weights and the pipeline's detector settings.
    public let make: @Sendable (ModelStore, DetectorSettings) throws -> any FaceDetecting

    public init(
        name: String, summary: String, weights: [String],
        make: @escaping @Sendable (ModelStore, DetectorSettings) throws -> any FaceDetecting
    ) {
        self.name = name
        self.summary = summary
        self.weights = weights
        self.make = make
    }
}
