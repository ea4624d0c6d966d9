/// Writes `photos.csv` for a photo set: one row per file, in the set's order, with its status (`ok`, `no_face`,
/// or `error` and why; a photo decoded in part keeps its status, and its reason says what was analysed), the number of faces, how many of their readings are uncertain, and each face's label and
/// confidence (`;`-separated, in the order of `frames.csv`'s `face` column), and the persons in it (their IDs,
/// `;`-separated in order, filled in at the end when the set's faces have been grouped; empty with persons off).
final class PhotosCSVWriter: CheckpointedSink {
    static let columns = ["file", "status", "reason", "faces", "uncertain", "labels", "confidences", "persons"]
    private let rows: PersonColumnRows
    var fileName: String { "photos.csv" }

    /// Starts the file, or continues the rows an interrupted run left (a photo set's checkpoint).
    init(context: SinkContext) throws {
        rows = try PersonColumnRows(context: context, name: "photos.csv")
        if !rows.isResumed { try rows.write(Self.columns.joined(separator: ",") + "\n") }
    }

    func consume(_ tracked: TrackedFrame) throws {
        let frame = tracked.frame
        let reason = CSVText.field(frame.problems.map(\.message).joined(separator: "; "))
        let status = !frame.hasPicture ? "error" : frame.faces.isEmpty ? "no_face" : "ok"
        let labels = frame.faces.map(\.scores.label.rawValue).joined(separator: ";")
        let confidences = frame.faces.map { FixedPoint.format($0.scores.confidence, decimals: Precision.probability) }
            .joined(separator: ";")
        let uncertain = frame.faces.filter(\.quality.isUncertain).count
        let fields = [
            CSVText.field(frame.stamp.file ?? ""), status, reason, "\(frame.faces.count)", "\(uncertain)", labels,
            confidences,
        ]
        try rows.write(
            pieces: [fields.joined(separator: ",") + ",", "\n"], cells: [tracked.personKeys.compactMap { $0 }])
    }

    func finish(_ event: FinishEvent) throws { try rows.commit { event.person(ofTrack: $0) } }
    func discard() { rows.discard() }
    func flushForCheckpoint() throws -> PhotoSetCheckpoint.PartialFile { try rows.flushForCheckpoint() }
    func setAside(as path: String) throws { try rows.setAside(as: path) }
}
