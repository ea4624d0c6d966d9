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
    /// Whether `detector.scheme: follow` applies to it. A follow stage searches on one thread, so a detector whose
    /// whole-frame search costs far more than BlazeFace's would hold the analysis up there (it searches on the
    /// parallel workers instead, every frame); one that finds no faces has nothing to follow.
    public let allowsFollowing: Bool

    public init(
        name: String, summary: String, weights: [String], allowsFollowing: Bool = true,
        make: @escaping @Sendable (ModelStore, DetectorSettings) throws -> any FaceDetecting
    ) {
        self.name = name
        self.summary = summary
        self.weights = weights
        self.allowsFollowing = allowsFollowing
        self.make = make
    }
}
