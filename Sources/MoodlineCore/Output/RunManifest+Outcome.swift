import Foundation

extension RunManifest {
    /// The manifest of one input's run: its outcome, with the outputs in `folder` as they now stand.
    init(
        _ outcome: InputOutcome, input: PlannedInput, definition: PipelineDefinition, models: [ModelRecord],
        record: RunRecord,
        folder: String
    ) {
        let counts = Counts(
            framesDecoded: outcome.framesDecoded, framesSkipped: outcome.framesSkipped,
            framesSampled: outcome.framesSampled, faces: outcome.faces, tracks: outcome.tracks,
            filesRead: outcome.filesRead, errors: outcome.problems.count, persons: outcome.persons,
            facesEmbedded: outcome.facesEmbedded, framesSearched: outcome.framesSearched)
        let t = outcome.times
        let timing = Timing(
            wall: outcome.wallSeconds, decode: t.decode, detect: t.detect, register: t.register, classify: t.classify,
            track: t.track, write: t.write, embed: t.embed)
        self.init(
            status: outcome.status, runRecord: record.manifestEntry, resumedAfterFiles: outcome.resumedFiles,
            input: Input(input, outcome: outcome), pipeline: PipelineFile.json(definition),
            models: models.map {
                Model(name: $0.name, file: $0.file, sha256: $0.sha256, licence: $0.licence, source: $0.source)
            },
            counts: counts, timing: timing.rounded,
            errors: outcome.problems.map {
                Problem(file: $0.file, code: $0.code.rawValue, message: $0.message, frame: $0.frame)
            },
            outputs: outcome.outputs + [OutputFolder.manifestName],
            outputBytes: Self.outputBytes(outcome.outputs, folder: folder), shard: input.shardOf,
            subjectReading: outcome.subjectReading.map {
                SubjectReading(emotion: $0.emotion.rawValue, share: $0.share)
            },
            shotCuts: outcome.shotCuts
        )
    }
}

extension RunManifest.Input {
    /// What the manifest says of `input`, as its source states it: a video's or stream's size and media facts, or the
    /// files of a photo set or an image sequence.
    init(_ input: PlannedInput, outcome: InputOutcome) {
        let facts = input.source.manifestFacts(sizeBytes: outcome.sizeBytes)
        self.init(
            path: input.path, kind: facts.kind, sizeBytes: facts.sizeBytes,
            media: facts.includesMedia
                ? outcome.media.flatMap { try? JSONValue(encoding: $0, keys: .convertToSnakeCase) } : nil,
            files: facts.files, skipped: facts.skipped?.map { Skipped(file: $0.path, reason: $0.reason) })
    }
}
