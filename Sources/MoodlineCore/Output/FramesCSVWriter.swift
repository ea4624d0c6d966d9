import Foundation

/// Writes `frames.csv`: one row per face per sampled frame (`face_found` 1), and one row with `face_found` 0 and
/// every face column empty for a sampled frame without faces. (Schema 2: schema 1 had no `face_found` and wrote
/// `no_face` in the `emotion` column.)
///
/// A photo set's rows start with the photo: `file`, `width`, `height` and `taken_at` (its EXIF capture time), and
/// leave out what only frames in time have (`frame`, `time_s`, `track`, `person`).
///
/// Each face row ends with the head pose the quality gate estimated (`yaw_deg`, `roll_deg`; empty where the detector
/// gives no keypoints for it).
///
/// A video's `person` (schema 3) is filled in at the end, when the tracks have been grouped into persons
/// (`PersonColumnRows`); a live input's is empty, its rows reaching the file as they come (`persons.json` maps its
/// tracks to persons).
final class FramesCSVWriter: CheckpointedSink {
    /// A video's columns.
    static let columns = ["frame", "time_s", "face_found", "face", "track", "person"] + faceColumns
    /// A photo set's columns.
    static let photoColumns = ["file", "width", "height", "taken_at", "face_found", "face", "person"] + faceColumns
    /// What every face row ends with.
    static let faceColumns =
        ["x", "y", "w", "h", "score"] + Emotion.allCases.map(\.rawValue)
        + ["emotion", "confidence", "uncertain", "uncertain_reason", "yaw_deg", "roll_deg"]

    /// The rows: with their person cells for frames in time; resumable for a photo set.
    private let rows: PersonColumnRows
    private let isPhotoSet: Bool
    /// A live input's rows reach the file as each frame is done, for `tail -f`.
    private let isLive: Bool

    var fileName: String { "frames.csv" }

    /// Starts the file, or continues the rows an interrupted run left (a photo set's checkpoint).
    init(context: SinkContext) throws {
        isLive = context.input.traits.isLive
        isPhotoSet = context.input.traits.isPhotoSet
        rows = try PersonColumnRows(context: context, name: "frames.csv")
        if !rows.isResumed {
            try rows.write((isPhotoSet ? Self.photoColumns : Self.columns).joined(separator: ",") + "\n")
        }
    }

    func consume(_ tracked: TrackedFrame) throws {
        try write(tracked)
        if isLive { try rows.flush() }
    }

    /// Writes one row, with the person of `key` (its track, or its number in a photo set) in the `person` cell.
    private func write(_ fields: [String], track key: Int?) throws {
        let split = (isPhotoSet ? Self.photoColumns : Self.columns).firstIndex(of: "person")!
        try rows.write(
            prefix: fields[..<split].joined(separator: ",") + ",", track: key,
            suffix: "," + fields[split...].joined(separator: ",") + "\n")
    }

    private func write(_ tracked: TrackedFrame) throws {
        let frame = tracked.frame
        guard frame.hasPicture else { return }
        let stamp = frame.stamp
        let prefix =
            isPhotoSet
            ? [
                CSVText.field(stamp.file ?? ""), stamp.photo.map { String($0.width) } ?? "",
                stamp.photo.map { String($0.height) } ?? "", stamp.photo?.takenAt ?? "",
            ]
            : [String(stamp.index), FixedPoint.format(stamp.timeSeconds, decimals: Precision.seconds)]
        if frame.faces.isEmpty {
            // Every face column empty: `face` (and a video's `track`); `person` comes from `write`.
            let empty = [String](repeating: "", count: Self.faceColumns.count + (isPhotoSet ? 1 : 2))
            try write(prefix + ["0"] + empty, track: nil)
            return
        }
        for (i, face) in frame.faces.enumerated() {
            let box = face.detection.box
            var row = prefix + ["1", String(i)]
            if !isPhotoSet { row.append(tracked.trackIDs[i].map(String.init) ?? "") }
            row += [box.x, box.y, box.width, box.height].map { FixedPoint.format($0, decimals: Precision.pixels) }
            row.append(FixedPoint.format(face.detection.score, decimals: Precision.score))
            row += face.scores.probabilities.map { FixedPoint.format($0, decimals: Precision.probability) }
            row += [
                face.scores.label.rawValue, FixedPoint.format(face.scores.confidence, decimals: Precision.probability),
            ]
            row += [face.quality.isUncertain ? "true" : "false", face.quality.reasonText]
            row += [face.quality.yawDegrees, face.quality.rollDegrees].map {
                $0.map { FixedPoint.format($0, decimals: Precision.degrees) } ?? ""
            }
            try write(row, track: tracked.personKeys[i])
        }
    }

    func finish(_ event: FinishEvent) throws { try rows.commit { event.person(ofTrack: $0) } }
    func discard() { rows.discard() }
    func flushForCheckpoint() throws -> PhotoSetCheckpoint.PartialFile { try rows.flushForCheckpoint() }
    func setAside(as path: String) throws { try rows.setAside(as: path) }
}
