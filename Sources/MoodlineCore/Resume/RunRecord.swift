import Foundation

/// What a run records about how it was made, and the rules for reusing an earlier run: skipping an unchanged
/// input, resuming a photo set, and refusing to overwrite another input's folder.
struct RunRecord {
    let absoluteInputPath: String
    let fingerprint: InputFingerprint?
    /// The pipeline as canonical JSON (sorted keys).
    let pipeline: String
    let modelDigests: [String]
    let files: Int
    private let photoFiles: [String]
    private let photoRoot: String?

    init(input: PlannedInput, definition: PipelineDefinition, models: [ModelRecord]) {
        absoluteInputPath = PlannedInput.absolutePath(input.path)
        fingerprint = InputFingerprint.of(input)
        pipeline = Self.identity(PipelineFile.jsonObject(definition))
        modelDigests = models.map(\.sha256)
        if let list = input.source.fileList {
            files = list.files.count
            photoFiles = list.files
            photoRoot = list.root
        } else {
            files = 1
            photoFiles = []
            photoRoot = nil
        }
    }

    /// The facts `run.json` keeps under `"run_record"`.
    var manifestEntry: [String: Any] {
        ["input_path": absoluteInputPath, "fingerprint": fingerprint?.text ?? NSNull(), "tool_version": MoodlineVersion.string]
    }

    /// The status to report again when `manifest` (an earlier `run.json` in `folder`) shows complete results for
    /// this very input, pipeline, models and tool, and every output it lists is still there at the size it had;
    /// nil when the input must be analysed again.
    func unchangedStatus(_ manifest: [String: Any], folder: String) -> InputStatus? {
        guard let fingerprint,
              let entry = manifest["run_record"] as? [String: Any],
              entry["fingerprint"] as? String == fingerprint.text,
              entry["tool_version"] as? String == MoodlineVersion.string,
              let pipeline = manifest["pipeline"] as? [String: Any], Self.identity(pipeline) == self.pipeline,
              let models = manifest["models"] as? [[String: Any]], models.compactMap({ $0["sha256"] as? String }) == modelDigests,
              let statusText = manifest["status"] as? String, let status = InputStatus(rawValue: statusText),
              status == .ok || status == .partial,
              let outputs = manifest["outputs"] as? [String], let sizes = manifest["output_bytes"] as? [String: Int] else { return nil }
        // A deleted or truncated output (or one replaced by something else) means the results are not all there.
        let written = outputs.filter { $0 != OutputFolder.manifestName }
        guard RunManifest.outputBytes(written, folder: folder) == sizes.filter({ written.contains($0.key) }),
              written.allSatisfy({ sizes[$0] != nil }) else { return nil }
        return status
    }

    /// The key a photo set's checkpoint must carry to be resumed by this run.
    var checkpointKey: String {
        Self.canonical(["input": absoluteInputPath, "pipeline": pipeline, "models": modelDigests, "tool": MoodlineVersion.string,
                        "files": files] as [String: Any])
    }

    /// Whether `checkpoint` was written by a run of this input with these settings, over photos that have not
    /// changed since.
    func canResume(from checkpoint: PhotoSetCheckpoint) -> Bool {
        checkpoint.key == checkpointKey && checkpoint.filesDone <= files
            && checkpoint.doneDigest == InputFingerprint.listDigest(photoFiles.prefix(checkpoint.filesDone), root: photoRoot)
    }

    /// The absolute input path an earlier `run.json` recorded, if any.
    static func absoluteInputPath(in manifest: [String: Any]) -> String? {
        (manifest["run_record"] as? [String: Any])?["input_path"] as? String
    }

    /// The settings that decide the results: all but how many frames run at once, which changes nothing in them.
    static func identity(_ pipeline: [String: Any]) -> String {
        var settings = pipeline
        settings.removeValue(forKey: "concurrency")
        return canonical(settings)
    }

    static func canonical(_ object: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed]) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
