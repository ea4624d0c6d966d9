import Foundation

/// Reads and writes pipeline definitions as JSON. Unknown keys and wrong types are errors naming the key.
///
/// ```json
/// {
///   "name": "interview",
///   "sampling": {"mode": "rate", "fps": 5},
///   "decode": {"max_side": 1280},
///   "detector": {"model": "full_range", "min_score": 0.5, "nms_iou": 0.3, "min_face_px": 0},
///   "crop": {"size": 64, "eye_distance": 0.4, "eye_y": 0.4},
///   "tracking": {"enabled": true, "min_iou": 0.2, "max_missing_s": 1.0},
///   "smoothing": {"method": "window", "window_s": 1.0},
///   "episodes": {"enter": 0.5, "exit": 0.35, "min_duration_s": 0.5},
///   "outputs": {"formats": ["csv", "jsonl", "tracks"]},
///   "concurrency": {"width": 2, "buffer_frames": 8}
/// }
/// ```
/// Every section and key but `name` is optional; missing ones take the defaults shown.
public enum PipelineFile {
    /// Parses a definition; `source` names the file in errors.
    public static func parse(_ data: Data, source: String) throws -> PipelineDefinition {
        // JSONDecoder reads decimals exactly (JSONSerialization on Linux reads some one unit off, so a setting
        // written out and read again would change).
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw PipelineError(source: source, key: nil, message: "is not valid JSON")
        }
        let root = try PipelineSection(json, path: nil, source: source)
        var definition = PipelineDefinition(name: try root.string("name") ?? "custom")
        definition.description = try root.string("description") ?? ""
        func read<S: StageSettings>(_ settings: inout S) throws {
            guard let section = try root.section(S.section) else { return }
            try settings.read(section)
            try section.finish()
        }
        try read(&definition.sampling)
        try read(&definition.decode)
        try read(&definition.detector)
        try read(&definition.crop)
        try read(&definition.classifier)
        try read(&definition.quality)
        try read(&definition.tracking)
        try read(&definition.persons)
        try read(&definition.smoothing)
        try read(&definition.episodes)
        try read(&definition.outputs)
        try read(&definition.concurrency)
        try root.finish()
        try definition.validate(source: source)
        return definition
    }

    /// Reads a definition from a file.
    public static func load(path: String) throws -> PipelineDefinition {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineError(source: path, key: nil, message: "no such pipeline file")
        }
        return try parse(data, source: path)
    }

    /// The definition as `run.json` records it, in the pipeline file's form.
    public static func json(_ d: PipelineDefinition) -> JSONValue {
        .object([
            "name": .string(d.name), "description": .string(d.description),
            SamplingMode.section: d.sampling.json, DecodeSettings.section: d.decode.json,
            DetectorSettings.section: d.detector.json, CropGeometry.section: d.crop.json,
            ClassifierSettings.section: d.classifier.json, QualitySettings.section: d.quality.json,
            TrackSettings.section: d.tracking.json, PersonSettings.section: d.persons.json,
            SmoothingSettings.section: d.smoothing.json,
            EpisodeSettings.section: d.episodes.json,
            OutputSettings.section: d.outputs.json, ConcurrencySettings.section: d.concurrency.json,
        ])
    }

    /// The definition as a pipeline file (sorted keys), which `parse` reads back as the same definition.
    public static func data(_ d: PipelineDefinition) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(json(d))
    }
}
