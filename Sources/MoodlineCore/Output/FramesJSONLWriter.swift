/// Writes `frames.jsonl`: one JSON object per sampled frame, with every face's box, score, keypoints,
/// probabilities, label, confidence, track ID and person ID (each null when tracking is off).
///
/// A video's `person` (schema 3) is filled in at the end, when the tracks have been grouped into persons
/// (`PersonColumnRows`); a live input's is null, its lines reaching the file as they come.
final class FramesJSONLWriter: CheckpointedSink {
    /// The lines: with their person fields for frames in time; resumable for a photo set.
    private let rows: PersonColumnRows
    private let includesFile: Bool
    /// A live input's lines reach the file as each frame is done, for `tail -f`.
    private let isLive: Bool

    var fileName: String { "frames.jsonl" }

    /// Starts the file, or continues the rows an interrupted run left (a photo set's checkpoint).
    init(context: SinkContext) throws {
        includesFile = context.input.traits.isPhotoSet
        isLive = context.input.traits.isLive
        rows = try PersonColumnRows(context: context, name: "frames.jsonl")
    }

    func consume(_ tracked: TrackedFrame) throws {
        let frame = tracked.frame
        guard frame.hasPicture else { return }
        var fields: [String] = []
        if includesFile { fields.append("\"file\":" + JSONText.string(frame.stamp.file ?? "")) }
        fields.append("\"frame\":\(frame.stamp.index)")
        fields.append("\"time_s\":" + FixedPoint.format(frame.stamp.timeSeconds, decimals: Precision.seconds))
        let degrees: (Double?) -> String = { $0.map { FixedPoint.format($0, decimals: Precision.degrees) } ?? "null" }
        let faces = frame.faces.enumerated().map { i, face -> String in
            let box = face.detection.box
            let px: (Double) -> String = { FixedPoint.format($0, decimals: Precision.pixels) }
            // "keypoints": the landmarks present, in `Landmark` order (BlazeFace's six, as schema 1 lists them).
            let keypoints = face.detection.orderedLandmarks.map { "[\(px($0.point.x)),\(px($0.point.y))]" }.joined(
                separator: ",")
            return "{\"face\":\(i),\"track\":\(tracked.trackIDs[i].map(String.init) ?? "null"),\"person\":\u{0},"
                + "\"box\":{\"x\":\(px(box.x)),\"y\":\(px(box.y)),\"w\":\(px(box.width)),\"h\":\(px(box.height))},"
                + "\"score\":\(FixedPoint.format(face.detection.score, decimals: Precision.score)),"
                + "\"keypoints\":[\(keypoints)],"
                + "\"probabilities\":\(JSONText.probabilities(face.scores)),"
                + "\"emotion\":\"\(face.scores.label.rawValue)\","
                + "\"confidence\":\(FixedPoint.format(face.scores.confidence, decimals: Precision.probability)),"
                + "\"uncertain\":\(face.quality.isUncertain),"
                + "\"uncertain_reasons\":[" + face.quality.reasons.map { "\"\($0.rawValue)\"" }.joined(separator: ",")
                + "],\"yaw_deg\":\(degrees(face.quality.yawDegrees)),\"roll_deg\":\(degrees(face.quality.rollDegrees))}"
        }
        fields.append("\"faces\":[" + faces.joined(separator: ",") + "]")
        let line = "{" + fields.joined(separator: ",") + "}\n"
        // Each face's person field is a cell filled in at the end. The marker is a NUL, which JSONText escapes
        // wherever it occurs in text, so it is found only where placed above.
        let pieces = line.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
        try rows.write(pieces: pieces, tracks: tracked.personKeys)
        if isLive { try rows.flush() }
    }

    func finish(_ event: FinishEvent) throws { try rows.commit { event.person(ofTrack: $0) } }
    func discard() { rows.discard() }
    func flushForCheckpoint() throws -> PhotoSetCheckpoint.PartialFile { try rows.flushForCheckpoint() }
    func setAside(as path: String) throws { try rows.setAside(as: path) }
}
