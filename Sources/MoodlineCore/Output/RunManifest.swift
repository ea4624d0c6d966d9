import Foundation

/// Writes `run.json`: what was analysed, how, with which models, what came of it, and every error with the file
/// and frame it concerns. Always the last sink to finish, so a finished `run.json` means the other outputs are
/// final too, and the one sink no pipeline can leave out.
final class RunManifestSink: FrameSink {
    private let folder: String
    private let models: [ModelRecord]
    private let record: RunRecord
    var fileName: String { "run.json" }

    init(folder: String, models: [ModelRecord], record: RunRecord) {
        self.folder = folder
        self.models = models
        self.record = record
    }

    func consume(_ frame: TrackedFrame) throws {}
    func discard() {}

    func finish(_ event: FinishEvent) throws {
        try RunManifest.write(event.outcome, input: event.input, definition: event.definition, models: models, record: record, folder: folder)
    }
}

/// The manifest's content.
enum RunManifest {
    static func write(_ outcome: InputOutcome, input: PlannedInput, definition: PipelineDefinition,
                      models: [ModelRecord], record: RunRecord, folder: String) throws {
        let facts = input.source.manifestFacts(sizeBytes: outcome.sizeBytes)
        var inputFacts: [String: Any] = ["path": input.path, "kind": facts.kind]
        if let size = facts.sizeBytes { inputFacts["size_bytes"] = size }
        if let files = facts.files { inputFacts["files"] = files }
        if let skipped = facts.skipped { inputFacts["skipped"] = skipped.map { ["file": $0.path, "reason": $0.reason] } }
        if facts.includesMedia, let media = outcome.media {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            if let data = try? encoder.encode(media), let object = try? JSONSerialization.jsonObject(with: data) {
                inputFacts["media"] = object
            }
        }
        let t = outcome.times
        var manifest: [String: Any] = [
            "schema_version": MoodlineVersion.schema,
            "tool": ["name": "moodline", "version": MoodlineVersion.string],
            "status": outcome.status.rawValue,
            "run_record": record.manifestEntry,
            "resumed_after_files": outcome.resumedFiles,
            "input": inputFacts,
            "pipeline": PipelineFile.jsonObject(definition),
            "models": models.map { ["name": $0.name, "file": $0.file, "sha256": $0.sha256, "licence": $0.licence, "source": $0.source] },
            "counts": ["frames_decoded": outcome.framesDecoded, "frames_skipped": outcome.framesSkipped, "frames_sampled": outcome.framesSampled, "faces": outcome.faces,
                       "tracks": outcome.tracks, "files_read": outcome.filesRead, "errors": outcome.problems.count],
            "timing_s": ["wall": rounded(outcome.wallSeconds), "decode": rounded(t.decode), "detect": rounded(t.detect),
                         "register": rounded(t.register), "classify": rounded(t.classify), "track": rounded(t.track),
                         "write": rounded(t.write)],
            "errors": outcome.problems.map { problem -> [String: Any] in
                var entry: [String: Any] = ["file": problem.file, "code": problem.code.rawValue, "message": problem.message]
                entry["frame"] = problem.frame.map { $0 as Any } ?? NSNull()
                return entry
            },
            "outputs": outcome.outputs + ["run.json"],
            "output_bytes": outputBytes(outcome.outputs, folder: folder),
        ]
        if let origin = input.shardOf { manifest["shard"] = jsonValue(origin) }
        if let reading = outcome.subjectReading {
            manifest["subject_reading"] = jsonValue(SubjectReading(emotion: reading.emotion.rawValue, share: reading.share))
        }
        try writeObject(manifest, folder: folder)
    }

    /// Each finished output's size, so a rerun can tell a complete folder from one whose files were since deleted
    /// or cut short.
    static func outputBytes(_ names: [String], folder: String) -> [String: Int] {
        var sizes: [String: Int] = [:]
        for name in names {
            var status = stat()
            if lstat((folder as NSString).appendingPathComponent(name), &status) == 0 { sizes[name] = Int(status.st_size) }
        }
        return sizes
    }

    /// Writes `object` as `folder/run.json` (pretty, sorted keys), atomically.
    static func writeObject(_ object: [String: Any], folder: String) throws {
        guard JSONSerialization.isValidJSONObject(object) else {
            throw OutputError(path: (folder as NSString).appendingPathComponent("run.json"), message: "the manifest holds a value JSON cannot store")
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        let file = try AtomicOutputFile(folder: folder, name: "run.json")
        do {
            try file.write(String(decoding: data, as: UTF8.self) + "\n")
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    /// A Codable record as the JSON object `writeObject` takes.
    static func jsonValue<T: Encodable>(_ value: T) -> Any? {
        guard let data = try? JSONEncoder().encode(value) else { return nil }
        return try? JSONSerialization.jsonObject(with: data)
    }

    private static func rounded(_ seconds: Double) -> Double {
        (seconds * 1000).rounded() / 1000
    }
}
