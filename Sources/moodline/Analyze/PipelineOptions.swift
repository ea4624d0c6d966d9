import ArgumentParser
import Foundation
import MoodlineCore

/// The pipeline to run and the flags that override its settings.
///
/// Each flag's name, help and effect are declared with its stage's settings (`StageSettings.flags`, e.g. in
/// `DetectorSettings.swift`); ArgumentParser needs a stored property per flag, so each has one line here that
/// refers to that declaration.
struct PipelineOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A built-in pipeline (interview, photos, fast) or a pipeline file (a path with / or ending in .json).",
            valueName: "file-or-name"))
    var pipeline: String?

    // Numbers are taken as the value even when they start with "-" (`--fps -3` is then refused as out of range,
    // not as a missing value).
    @Option(name: .customLong("fps"), parsing: .unconditional, help: help(SamplingMode.self, "fps")) var fps: String?
    @Option(name: .customLong("every-nth"), parsing: .unconditional, help: help(SamplingMode.self, "every-nth"))
    var everyNth: String?
    @Flag(name: .customLong("every-frame"), help: help(SamplingMode.self, "every-frame")) var everyFrame = false
    @Flag(name: .customLong("key-frames"), help: help(SamplingMode.self, "key-frames")) var keyFrames = false
    @Option(name: .customLong("max-side"), parsing: .unconditional, help: help(DecodeSettings.self, "max-side"))
    var maxSide: String?
    @Option(name: .customLong("start"), parsing: .unconditional, help: help(DecodeSettings.self, "start")) var start:
        String?
    @Option(name: .customLong("end"), parsing: .unconditional, help: help(DecodeSettings.self, "end")) var end: String?
    @Option(name: .customLong("duration"), parsing: .unconditional, help: help(DecodeSettings.self, "duration"))
    var duration: String?
    @Option(
        name: .customLong("stall-timeout"), parsing: .unconditional, help: help(DecodeSettings.self, "stall-timeout"))
    var stallTimeout: String?
    @Option(name: .customLong("reconnect"), parsing: .unconditional, help: help(DecodeSettings.self, "reconnect"))
    var reconnect: String?
    @Option(name: .customLong("detector"), help: help(DetectorSettings.self, "detector")) var detector: String?
    @Option(name: .customLong("min-score"), parsing: .unconditional, help: help(DetectorSettings.self, "min-score"))
    var minScore: String?
    @Option(
        name: .customLong("min-face-size"), parsing: .unconditional, help: help(DetectorSettings.self, "min-face-size"))
    var minFaceSize: String?
    @Option(name: .customLong("detection"), help: help(DetectorSettings.self, "detection")) var detection: String?
    @Option(
        name: .customLong("search-every"), parsing: .unconditional, help: help(DetectorSettings.self, "search-every"))
    var searchEvery: String?
    @Option(name: .customLong("classifier"), help: help(ClassifierSettings.self, "classifier")) var classifier: String?
    @Option(name: .customLong("classifier-weights"), help: help(ClassifierSettings.self, "classifier-weights"))
    var classifierWeights: String?
    @Flag(name: .customLong("flip-average"), help: help(ClassifierSettings.self, "flip-average")) var flipAverage =
        false
    @Option(
        name: .customLong("min-confidence"), parsing: .unconditional, help: help(QualitySettings.self, "min-confidence")
    ) var minConfidence: String?
    @Option(name: .customLong("max-spread"), parsing: .unconditional, help: help(QualitySettings.self, "max-spread"))
    var maxSpread: String?
    @Flag(name: .customLong("include-uncertain"), help: help(QualitySettings.self, "include-uncertain"))
    var includeUncertain = false
    @Option(name: .customLong("formats"), help: help(OutputSettings.self, "formats")) var formats: String?
    @Flag(name: .customLong("annotate"), help: help(OutputSettings.self, "annotate")) var annotate = false
    @Flag(name: .customLong("annotate-bars"), help: help(OutputSettings.self, "annotate-bars")) var annotateBars = false
    @Option(name: .customLong("segments"), help: help(OutputSettings.self, "segments")) var segments: String?
    @Option(name: .customLong("baseline"), help: help(OutputSettings.self, "baseline")) var baseline: String?
    @Option(name: .customLong("segment-tiers"), help: help(OutputSettings.self, "segment-tiers")) var segmentTiers:
        String?
    @Flag(name: .customLong("write-embeddings"), help: help(OutputSettings.self, "write-embeddings"))
    var writeEmbeddings = false
    @Flag(name: .customLong("no-tracking"), help: help(TrackSettings.self, "no-tracking")) var noTracking = false
    @Option(name: .customLong("subject"), help: help(TrackSettings.self, "subject")) var subject: String?
    @Flag(name: .customLong("no-persons"), help: help(PersonSettings.self, "no-persons")) var noPersons = false
    @Option(
        name: .customLong("same-person-distance"), parsing: .unconditional,
        help: help(PersonSettings.self, "same-person-distance")) var samePersonDistance: String?
    @Option(
        name: .customLong("smoothing-window"), parsing: .unconditional,
        help: help(SmoothingSettings.self, "smoothing-window")) var smoothingWindow: String?
    @Option(name: .customLong("min-episode"), parsing: .unconditional, help: help(EpisodeSettings.self, "min-episode"))
    var minEpisode: String?
    @Option(
        name: .customLong("concurrency"), parsing: .unconditional, help: help(ConcurrencySettings.self, "concurrency"))
    var concurrency: String?

    /// The help a stage declares for one of its flags, with what each built-in pipeline sets it to.
    static func help<S: StageSettings>(_ settings: S.Type, _ name: String) -> ArgumentHelp {
        guard let flag = S.flags.first(where: { $0.name == name }) else {
            preconditionFailure("\(S.section) declares no flag --\(name)")
        }
        guard !flag.isSwitch, let note = PipelineDefaults.note(section: S.section, key: flag.key) else {
            return ArgumentHelp(flag.help)
        }
        return ArgumentHelp(flag.help + " " + note)
    }

    /// The pipelines as `validate()` read them. Not an argument: ArgumentParser decodes only the keys it parsed,
    /// so this stays nil until `validate()` fills it.
    private var resolved: ResolvedPipelines?

    /// Reads the pipeline files and applies the flags, once per command: ArgumentParser runs this while it decodes
    /// the option group, so a bad file or value is a usage error before `run()`.
    mutating func validate() throws {
        resolved = try readDefinitions()
    }

    /// The definitions for videos and for photos, after overrides, as `validate()` read them.
    ///
    /// - Throws: `ValidationError` naming the file, key or flag at fault (only where `validate()` was not run).
    func definitions() throws -> (video: PipelineDefinition, photos: PipelineDefinition) {
        let pipelines = try resolved ?? readDefinitions()
        return (pipelines.video, pipelines.photos)
    }

    private func readDefinitions() throws -> ResolvedPipelines {
        let samplingFlags = [fps != nil, everyNth != nil, everyFrame, keyFrames].filter { $0 }.count
        guard samplingFlags <= 1 else {
            throw ValidationError("Choose one of --fps, --every-nth, --every-frame and --key-frames.")
        }
        do {
            if let pipeline {
                let chosen = try Self.load(pipeline)
                return ResolvedPipelines(video: try apply(to: chosen), photos: try apply(to: chosen))
            }
            return ResolvedPipelines(
                video: try apply(to: Self.load("interview")), photos: try apply(to: Self.load("photos")))
        } catch let error as PipelineError {
            throw ValidationError("\(error)")
        }
    }

    /// A built-in pipeline by name (`interview`, `photos`, `fast`), or a file: anything with a `/` or ending in
    /// `.json` is a path. The working folder never changes what a name means.
    static func load(_ nameOrPath: String) throws -> PipelineDefinition {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".json")
        if !isPath {
            guard let text = BuiltInPipelines.all[nameOrPath] else {
                let known = BuiltInPipelines.all.keys.sorted().joined(separator: ", ")
                throw PipelineError(
                    source: "--pipeline", key: nil,
                    message:
                        "no built-in pipeline '\(nameOrPath)' (built in: \(known)); give a file as a path, e.g. ./\(nameOrPath).json"
                )
            }
            return try PipelineFile.parse(Data(text.utf8), source: "built-in pipeline '\(nameOrPath)'")
        }
        return try PipelineFile.load(path: nameOrPath)
    }

    private func apply(to base: PipelineDefinition) throws -> PipelineDefinition {
        var d = FlaggedPipeline(base)
        if let fps { try d.set(\.sampling, "fps", fps) }
        if let everyNth { try d.set(\.sampling, "every-nth", everyNth) }
        if everyFrame { try d.set(\.sampling, "every-frame", nil) }
        if keyFrames { try d.set(\.sampling, "key-frames", nil) }
        if let maxSide { try d.set(\.decode, "max-side", maxSide) }
        if let start { try d.set(\.decode, "start", start) }
        if let end { try d.set(\.decode, "end", end) }
        if let duration { try d.set(\.decode, "duration", duration) }
        if let stallTimeout { try d.set(\.decode, "stall-timeout", stallTimeout) }
        if let reconnect { try d.set(\.decode, "reconnect", reconnect) }
        if let detector { try d.set(\.detector, "detector", detector) }
        if let minScore { try d.set(\.detector, "min-score", minScore) }
        if let minFaceSize { try d.set(\.detector, "min-face-size", minFaceSize) }
        if let detection { try d.set(\.detector, "detection", detection) }
        if let searchEvery { try d.set(\.detector, "search-every", searchEvery) }
        if let classifier {
            try d.set(\.classifier, "classifier", classifier)
            // The crop follows the chosen network's input size.
            d.definition.crop.sizePixels = d.definition.classifier.model.inputSize
        }
        if let classifierWeights { try d.set(\.classifier, "classifier-weights", classifierWeights) }
        if flipAverage { try d.set(\.classifier, "flip-average", nil) }
        if let minConfidence { try d.set(\.quality, "min-confidence", minConfidence) }
        if let maxSpread { try d.set(\.quality, "max-spread", maxSpread) }
        if includeUncertain { try d.set(\.quality, "include-uncertain", nil) }
        if let formats { try d.set(\.outputs, "formats", formats) }
        if annotate { try d.set(\.outputs, "annotate", nil) }
        if annotateBars { try d.set(\.outputs, "annotate-bars", nil) }
        if writeEmbeddings { try d.set(\.outputs, "write-embeddings", nil) }
        if let segments { try d.set(\.outputs, "segments", segments) }
        if let segmentTiers { try d.set(\.outputs, "segment-tiers", segmentTiers) }
        if let baseline { try d.set(\.outputs, "baseline", baseline) }
        if noTracking { try d.set(\.tracking, "no-tracking", nil) }
        if let subject { try d.set(\.tracking, "subject", subject) }
        if noPersons { try d.set(\.persons, "no-persons", nil) }
        if let samePersonDistance { try d.set(\.persons, "same-person-distance", samePersonDistance) }
        if let smoothingWindow { try d.set(\.smoothing, "smoothing-window", smoothingWindow) }
        if let minEpisode { try d.set(\.episodes, "min-episode", minEpisode) }
        if let concurrency { try d.set(\.concurrency, "concurrency", concurrency) }
        return try d.validated(source: "command line")
    }
}

/// The two pipelines a command runs, kept on `PipelineOptions` between `validate()` and `run()`.
///
/// `Decodable` only because ArgumentParser synthesises decoding for every stored property of an options type; it is
/// never in the arguments, so decoding it is an error.
struct ResolvedPipelines: Decodable {
    let video: PipelineDefinition
    let photos: PipelineDefinition

    init(video: PipelineDefinition, photos: PipelineDefinition) {
        self.video = video
        self.photos = photos
    }

    init(from decoder: Decoder) throws {
        throw DecodingError.dataCorrupted(
            .init(codingPath: decoder.codingPath, debugDescription: "pipelines are read, not parsed"))
    }
}
