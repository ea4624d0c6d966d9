/// Writes `run.json` from the finish event. Always the last sink to finish, so a finished `run.json` means the
/// other outputs are final too, and the one sink no pipeline can leave out.
final class RunManifestSink: FrameSink {
    private let folder: String
    private let models: [ModelRecord]
    private let record: RunRecord
    var fileName: String { OutputFolder.manifestName }

    init(folder: String, models: [ModelRecord], record: RunRecord) {
        self.folder = folder
        self.models = models
        self.record = record
    }

    func consume(_ frame: TrackedFrame) throws {}
    func discard() {}

    func finish(_ event: FinishEvent) throws {
        try RunManifest(
            event.outcome, input: event.input, definition: event.definition, models: models, record: record,
            folder: folder
        )
        .write(folder: folder)
    }
}
