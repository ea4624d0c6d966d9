import Foundation

/// What a run records about how it was made, and the rules for reusing an earlier run: skipping an unchanged
/// input, resuming a photo set, and refusing to overwrite another input's folder.
struct RunRecord {
    let absoluteInputPath: String
    let fingerprint: InputFingerprint?
    /// The pipeline's settings that decide the results, as canonical JSON (`identity`).
    let pipeline: String
    let modelDigests: [String]
    let files: Int
    private let photoFiles: [String]
    private let photoRoot: String?

    init(input: PlannedInput, definition: PipelineDefinition, models: [ModelRecord]) {
        absoluteInputPath = PlannedInput.absolutePath(input.path)
        fingerprint = InputFingerprint.of(input)
        pipeline = Self.identity(PipelineFile.json(definition))
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
    var manifestEntry: RunManifest.Record {
        RunManifest.Record(
            inputPath: absoluteInputPath, fingerprint: fingerprint?.text, toolVersion: MoodlineVersion.string)
    }

    /// The status to report again when `manifest` (an earlier `run.json` in `folder`) shows complete results for
    /// this very input, pipeline, models and tool, and every output it lists is still there at the size it had;
    /// nil when the input must be analysed again.
    func unchangedStatus(_ manifest: RunManifest, folder: String) -> InputStatus? {
        guard let fingerprint, manifest.runRecord.fingerprint == fingerprint.text,
            manifest.runRecord.toolVersion == MoodlineVersion.string,
            Self.identity(manifest.pipeline) == pipeline, manifest.models.map(\.sha256) == modelDigests,
            manifest.status == .ok || manifest.status == .partial
        else { return nil }
        // A deleted or truncated output (or one replaced by something else) means the results are not all there.
        let sizes = manifest.outputBytes
        let written = manifest.outputs.filter { $0 != OutputFolder.manifestName }
        guard RunManifest.outputBytes(written, folder: folder) == sizes.filter({ written.contains($0.key) }),
            written.allSatisfy({ sizes[$0] != nil })
        else { return nil }
        return manifest.status
    }

    /// What a photo set's checkpoint must match to be resumed by this run.
    private struct CheckpointIdentity: Encodable {
        let input: String, pipeline: String, models: [String], tool: String, files: Int
    }

    /// The key a photo set's checkpoint must carry to be resumed by this run.
    var checkpointKey: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let identity = CheckpointIdentity(
            input: absoluteInputPath, pipeline: pipeline, models: modelDigests, tool: MoodlineVersion.string,
            files: files)
        return (try? encoder.encode(identity)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// Whether `checkpoint` was written by a run of this input with these settings, over photos that have not
    /// changed since.
    func canResume(from checkpoint: PhotoSetCheckpoint) -> Bool {
        checkpoint.key == checkpointKey && checkpoint.filesDone <= files
            && checkpoint.doneDigest
                == InputFingerprint.listDigest(photoFiles.prefix(checkpoint.filesDone), root: photoRoot)
    }

    /// The settings that decide the results: all but how many frames run at once, which changes nothing in them.
    static func identity(_ pipeline: JSONValue) -> String {
        guard case .object(var settings) = pipeline else { return pipeline.canonicalText }
        settings.removeValue(forKey: ConcurrencySettings.section)
        return JSONValue.object(settings).canonicalText
    }
}
