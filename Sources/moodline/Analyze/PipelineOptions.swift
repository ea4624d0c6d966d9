import ArgumentParser
import Foundation
import MoodlineCore

/// The pipeline to run and the flags that override its settings.
struct PipelineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A built-in pipeline (interview, photos, fast) or a pipeline file (a path with / or ending in .json).", valueName: "file-or-name"))
    var pipeline: String?

    @Option(help: "Sample this many frames per second, by timestamp.")
    var fps: Double?

    @Option(help: "Sample every Nth frame instead.")
    var everyNth: Int?

    @Flag(help: "Sample every frame.")
    var everyFrame = false

    @Flag(help: "Sample key frames only (fastest; the decoder skips the rest).")
    var keyFrames = false

    @Option(help: "Analyse frames with their longer side at most this many pixels (0: full size); results stay in source pixels.")
    var maxSide: Int?

    @Option(help: "Face detector: full_range (small and large faces) or short_range (close-ups, faster).")
    var detector: DetectorModel?

    @Option(help: "Drop faces whose detection score is below this (0-1).")
    var minScore: Double?

    @Option(help: "Drop faces smaller than this many pixels on their longer side.")
    var minFaceSize: Double?

    @Option(help: ArgumentHelp("Outputs to write, comma-separated: \(OutputSinks.names.joined(separator: ", "))."))
    var formats: String?

    @Flag(help: "Do not link faces into tracks.")
    var noTracking = false

    @Option(help: "Smoothing window over time, in seconds (0 for none).")
    var smoothingWindow: Double?

    @Option(help: "Frames analysed at once per input.")
    var concurrency: Int?

    /// The definitions for videos and for photos, after overrides.
    ///
    /// - Throws: `ValidationError` naming the file, key or flag at fault.
    func definitions() throws -> (video: PipelineDefinition, photos: PipelineDefinition) {
        let samplingFlags = [fps != nil, everyNth != nil, everyFrame, keyFrames].filter { $0 }.count
        guard samplingFlags <= 1 else {
            throw ValidationError("Choose one of --fps, --every-nth, --every-frame and --key-frames.")
        }
        do {
            if let pipeline {
                let chosen = try Self.load(pipeline)
                return (try apply(to: chosen), try apply(to: chosen))
            }
            return (try apply(to: Self.load("interview")), try apply(to: Self.load("photos")))
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
                throw PipelineError(source: "--pipeline", key: nil,
                                    message: "no built-in pipeline '\(nameOrPath)' (built in: \(known)); give a file as a path, e.g. ./\(nameOrPath).json")
            }
            return try PipelineFile.parse(Data(text.utf8), source: "built-in pipeline '\(nameOrPath)'")
        }
        return try PipelineFile.load(path: nameOrPath)
    }

    private func apply(to base: PipelineDefinition) throws -> PipelineDefinition {
        var d = base
        if let fps { d.sampling = .rate(framesPerSecond: fps) }
        if let everyNth { d.sampling = .everyNth(everyNth) }
        if everyFrame { d.sampling = .everyFrame }
        if keyFrames { d.sampling = .keyFrames }
        if let maxSide { d.maximumSidePixels = maxSide }
        if let detector { d.detector.model = detector }
        if let minScore { d.detector.minimumScore = minScore }
        if let minFaceSize { d.detector.minimumFaceSizePixels = minFaceSize }
        if let formats {
            d.formats = try formats.split(separator: ",").map { name in
                guard let format = OutputFormat(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--formats: unknown format '\(name)' (known: \(OutputSinks.names.joined(separator: ", "))).")
                }
                return format
            }
        }
        if noTracking { d.tracking.enabled = false }
        if let smoothingWindow {
            d.smoothing.windowSeconds = smoothingWindow
            if smoothingWindow == 0 { d.smoothing.method = .none }
        }
        if let concurrency { d.concurrency = concurrency }
        do {
            try d.validate(source: "command line")
        } catch let error as PipelineError {
            throw ValidationError("\(error.key.map { "\($0)" } ?? "setting") \(error.message) (from the command-line flags)")
        }
        return d
    }
}

extension DetectorModel: ExpressibleByArgument {}
