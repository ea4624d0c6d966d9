import Synchronization

/// Every model Moodline can run, by kind, as `OutputSinks.registered` lists every output: the model store,
/// `--help`, the choices pipelines accept, the errors and `run.json` are all built from here.
///
/// To add a model: write one file with the network (conforming to its kind's protocol, `FaceDetecting`,
/// `EmotionNetwork` or `FaceEmbedding`) and its entry, and add one line for the entry below. A program (or a test) can also
/// `register` one at run time.
public enum ModelRegistry {
    /// The face detectors, in the order `--help` lists them.
    static let builtInDetectors: [FaceDetectorEntry] = [
        .auto,
        .fullRange,
        .shortRange,
        .centerFace,
        .wholeImage,
    ]

    /// The emotion classifiers, the default first.
    static let builtInClassifiers: [EmotionClassifierEntry] = [
        .moodline,
        .miniXception,
        .moodlineFerPlus,
    ]

    /// The face embedders, the default first. No pipeline output uses them yet; `ModelStore.faceEmbedder` builds one.
    static let builtInEmbedders: [FaceEmbedderEntry] = [
        .dlibResNet
    ]

    private static let registered = Mutex(
        (detectors: builtInDetectors, classifiers: builtInClassifiers, embedders: builtInEmbedders))

    /// The face detectors on offer.
    public static var detectors: [FaceDetectorEntry] { registered.withLock { $0.detectors } }
    /// The emotion classifiers on offer.
    public static var classifiers: [EmotionClassifierEntry] { registered.withLock { $0.classifiers } }
    /// The face embedders on offer.
    public static var embedders: [FaceEmbedderEntry] { registered.withLock { $0.embedders } }

    /// The detector called `name`, if there is one.
    public static func detector(named name: String) -> FaceDetectorEntry? { detectors.first { $0.name == name } }
    /// The classifier called `name`, if there is one.
    public static func classifier(named name: String) -> EmotionClassifierEntry? {
        classifiers.first { $0.name == name }
    }

    /// The face embedder called `name`, if there is one.
    public static func embedder(named name: String) -> FaceEmbedderEntry? { embedders.first { $0.name == name } }

    /// Offers another detector (replacing one of the same name).
    public static func register(_ entry: FaceDetectorEntry) {
        registered.withLock { $0.detectors = $0.detectors.filter { $0.name != entry.name } + [entry] }
    }

    /// Withdraws a detector `register` offered (a built-in one stays).
    public static func removeDetector(named name: String) {
        registered.withLock {
            $0.detectors = $0.detectors.filter { $0.name != name || builtInDetectors.contains { $0.name == name } }
        }
    }

    /// Offers another classifier (replacing one of the same name).
    public static func register(_ entry: EmotionClassifierEntry) {
        registered.withLock { $0.classifiers = $0.classifiers.filter { $0.name != entry.name } + [entry] }
    }

    /// Offers another face embedder (replacing one of the same name).
    public static func register(_ entry: FaceEmbedderEntry) {
        registered.withLock { $0.embedders = $0.embedders.filter { $0.name != entry.name } + [entry] }
    }
}
