/// A pipeline: every stage's settings, as read from `Pipelines/NAME.json` and overridden by command-line flags.
/// Each stage's settings type reads, writes and checks its own section (`StageSettings`).
public struct PipelineDefinition: Sendable, Equatable {
    /// The pipeline's name (`interview`, or a file's own).
    public var name: String
    public var description: String
    /// Which frames are analysed (`sampling`).
    public var sampling: SamplingMode
    /// At what size frames are analysed (`decode`).
    public var decode: DecodeSettings
    /// Face detection (`detector`).
    public var detector: DetectorSettings
    /// The classifier's aligned crop (`crop`).
    public var crop: CropGeometry
    /// The emotion classifier (`classifier`).
    public var classifier: ClassifierSettings
    /// When readings are marked uncertain (`quality`).
    public var quality: QualitySettings
    /// Linking faces into tracks (`tracking`).
    public var tracking: TrackSettings
    /// Grouping faces into persons (`persons`).
    public var persons: PersonSettings
    /// Smoothing tracks over time (`smoothing`).
    public var smoothing: SmoothingSettings
    /// Finding emotion episodes on the smoothed timelines (`episodes`).
    public var episodes: EpisodeSettings
    /// The sinks each input gets (`outputs`).
    public var outputs: OutputSettings
    /// Frames at once per input (`concurrency`).
    public var concurrency: ConcurrencySettings

    public init(
        name: String, description: String = "", sampling: SamplingMode = .rate(framesPerSecond: 5),
        decode: DecodeSettings = DecodeSettings(), detector: DetectorSettings = DetectorSettings(),
        crop: CropGeometry = .standard, classifier: ClassifierSettings = ClassifierSettings(),
        quality: QualitySettings = QualitySettings(), tracking: TrackSettings = TrackSettings(),
        persons: PersonSettings = PersonSettings(), smoothing: SmoothingSettings = SmoothingSettings(),
        episodes: EpisodeSettings = EpisodeSettings(),
        outputs: OutputSettings = OutputSettings(),
        concurrency: ConcurrencySettings = ConcurrencySettings()
    ) {
        self.name = name
        self.description = description
        self.sampling = sampling
        self.decode = decode
        self.detector = detector
        self.crop = crop
        self.classifier = classifier
        self.quality = quality
        self.tracking = tracking
        self.persons = persons
        self.smoothing = smoothing
        self.episodes = episodes
        self.outputs = outputs
        self.concurrency = concurrency
    }

    /// Checks every stage's settings. Every range is closed and finite, so `inf` and `nan` are refused here rather
    /// than reaching the analysis (or `run.json`, which cannot hold them).
    ///
    /// - Parameter flagsByKey: for settings that came from flags, `section.key` → flag name, so errors name the flag.
    /// - Throws: `PipelineError` naming the key (or the flag).
    public func validate(source: String, flagsByKey: [String: String] = [:]) throws {
        func rules<S: StageSettings>(_ type: S.Type) -> SettingRules {
            let prefix = S.section + "."
            let flags = flagsByKey.filter { $0.key.hasPrefix(prefix) }
            return SettingRules(
                source: source, section: S.section,
                flagsByKey: Dictionary(
                    uniqueKeysWithValues: flags.map { (String($0.key.dropFirst(prefix.count)), $0.value) }))
        }
        try sampling.validate(rules(SamplingMode.self))
        try decode.validate(rules(DecodeSettings.self))
        try detector.validate(rules(DetectorSettings.self))
        try crop.validate(rules(CropGeometry.self))
        try classifier.validate(rules(ClassifierSettings.self))
        try quality.validate(rules(QualitySettings.self))
        // The shipped networks take one crop size each; a trained file's size is checked when it is loaded.
        if classifier.weightsFile == nil {
            try rules(CropGeometry.self).check(
                crop.sizePixels == classifier.model.inputSize, "size",
                "\(classifier.model.inputSize) (the input of classifier '\(classifier.model.rawValue)')",
                crop.sizePixels)
        }
        try tracking.validate(rules(TrackSettings.self))
        try persons.validate(rules(PersonSettings.self))
        try smoothing.validate(rules(SmoothingSettings.self))
        try episodes.validate(rules(EpisodeSettings.self))
        try outputs.validate(rules(OutputSettings.self))
        // Without persons no face is embedded: an embeddings file asked for would never come.
        if outputs.formats.contains(OutputFormat.faceEmbeddings) && !persons.enabled {
            let message = "face embeddings are written only where persons are grouped, and persons are off"
            if let flag = flagsByKey["outputs.formats"] ?? flagsByKey["persons.enabled"] {
                throw PipelineError(
                    source: "command line", key: nil,
                    message: "--\(flag): \(message) (drop --no-persons, or --write-embeddings).", flag: flag)
            }
            throw PipelineError(source: source, key: "outputs.formats", message: "names embeddings, but \(message)")
        }
        try concurrency.validate(rules(ConcurrencySettings.self))
    }
}
