import Synchronization

/// One pipeline's `FrameAnalyzer`, loaded the first time an input needs it and then shared by every input and
/// thread that asks, so the models are read once however many inputs, jobs or cameras use them. A failure to load is
/// kept and thrown again to each later caller, rather than retried for every input.
public final class SharedFrameAnalyzer: Sendable {
    /// The pipeline whose detector, aligner and classifier this loads.
    public let definition: PipelineDefinition
    /// Whether the analyser embeds faces (`FrameAnalyzer.init(definition:models:embedsFaces:)`).
    public let embedsFaces: Bool
    private let models: ModelStore
    private let loaded = Mutex<Result<FrameAnalyzer, any Error>?>(nil)

    public init(definition: PipelineDefinition, models: ModelStore, embedsFaces: Bool? = nil) {
        self.definition = definition
        self.models = models
        self.embedsFaces = embedsFaces ?? definition.persons.enabled
    }

    /// The analyser, loading the pipeline's models on the first call.
    ///
    /// - Throws: what `FrameAnalyzer.init(definition:models:)` throws (missing or damaged weights).
    @Sendable public func get() throws -> FrameAnalyzer {
        try loaded.withLock { state in
            if let state { return try state.get() }
            let result = Result { try FrameAnalyzer(definition: definition, models: models, embedsFaces: embedsFaces) }
            state = result
            return try result.get()
        }
    }
}

/// The shared analysers of a batch's two pipelines, one for videos and one for photos (the same object when the
/// two pipelines are the same). A server keeps one for all its jobs.
public struct PipelineAnalyzers: Sendable {
    public let video: SharedFrameAnalyzer
    public let photos: SharedFrameAnalyzer

    /// `sharded`: the batch is a shard (`--shard`), whose photo sets group persons only when it writes their
    /// embeddings for `merge` (`PlannedInput.groupsPhotoPersons`).
    public init(
        videoPipeline: PipelineDefinition, photoPipeline: PipelineDefinition, models: ModelStore, sharded: Bool = false
    ) {
        // Who needs the face embedder: videos group their tracks, photo sets their faces (a shard's only when it
        // writes their embeddings).
        let videosEmbed = videoPipeline.groupsTrackPersons
        let photosEmbed = photoPipeline.groupsPhotoPersons(sharded: sharded)
        if photoPipeline == videoPipeline {
            video = SharedFrameAnalyzer(
                definition: videoPipeline, models: models, embedsFaces: videosEmbed || photosEmbed)
            photos = video
        } else {
            video = SharedFrameAnalyzer(definition: videoPipeline, models: models, embedsFaces: videosEmbed)
            photos = SharedFrameAnalyzer(definition: photoPipeline, models: models, embedsFaces: photosEmbed)
        }
    }

    /// Analysers already made: another video pipeline's beside a photo pipeline's shared with other sets.
    public init(video: SharedFrameAnalyzer, photos: SharedFrameAnalyzer) {
        self.video = video
        self.photos = photos
    }
}

extension PipelineDefinition {
    /// Whether frames in time analysed with this pipeline are grouped into persons: tracking and persons on.
    public var groupsTrackPersons: Bool { tracking.enabled && persons.enabled }

    /// Whether the `FrameAnalyzer` of one serves the other: the same detector, crop, classifier, quality gate and
    /// persons, both grouping persons by tracks or neither (whether it embeds faces), and both with or without the
    /// report (whose photo previews the analyser makes). The range, sampling, subject and other outputs do not reach
    /// it, so a server's jobs that change only those share its analysers.
    public func analysesAlike(_ other: PipelineDefinition) -> Bool {
        let report = { (d: PipelineDefinition) in d.outputs.formats.contains { $0.rawValue == "report" } }
        return detector == other.detector && crop == other.crop && classifier == other.classifier
            && quality == other.quality && persons == other.persons && groupsTrackPersons == other.groupsTrackPersons
            && report(self) == report(other)
    }
}
