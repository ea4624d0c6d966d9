/// Writes `frames.jsonl`: one JSON object per sampled frame, with every face's box, score, keypoints,
/// probabilities, label, confidence and track ID (null when tracking is off).
final class FramesJSONLWriter: CheckpointedSink {
    let file: AtomicOutputFile
    private let includesFile: Bool
    /// A live input's lines reach the file as each frame is done, for `tail -f`.
    private let isLive: Bool

    var fileName: String { file.name }

    /// Starts the file, or continues the rows an interrupted run left (a photo set's checkpoint).
    init(context: SinkContext) throws {
        file = try AtomicOutputFile(
            folder: context.folder, name: "frames.jsonl", resuming: context.resumingPath,
            live: context.input.traits.isLive)
        includesFile = context.input.traits.isPhotoSet
        isLive = context.input.traits.isLive
    }

    func consume(_ tracked: TrackedFrame) throws {
        let frame = tracked.frame
        guard frame.hasPicture else { return }
        var fields: [String] = []
        if includesFile { fields.append("\"file\":" + JSONText.string(frame.stamp.file ?? "")) }
        fields.append("\"frame\":\(frame.stamp.index)")
        fields.append("\"time_s\":" + FixedPoint.format(frame.stamp.timeSeconds, decimals: Precision.seconds))
        let faces = frame.faces.enumerated().map { i, face -> String in
            let box = face.detection.box
            let px: (Double) -> String = { FixedPoint.format($0, decimals: Precision.pixels) }
            // "keypoints": the landmarks present, in `Landmark` order (BlazeFace's six, as schema 1 lists them).
            let keypoints = face.detection.orderedLandmarks.map { "[\(px($0.point.x)),\(px($0.point.y))]" }.joined(
                separator: ",")
            return "{\"face\":\(i),\"track\":\(tracked.trackIDs[i].map(String.init) ?? "null"),"
                + "\"box\":{\"x\":\(px(box.x)),\"y\":\(px(box.y)),\"w\":\(px(box.width)),\"h\":\(px(box.height))},"
                + "\"score\":\(FixedPoint.format(face.detection.score, decimals: Precision.score)),"
                + "\"keypoints\":[\(keypoints)],"
                + "\"probabilities\":\(JSONText.probabilities(face.scores)),"
                + "\"emotion\":\"\(face.scores.label.rawValue)\","
                + "\"confidence\":\(FixedPoint.format(face.scores.confidence, decimals: Precision.probability)),"
                + "\"uncertain\":\(face.quality.isUncertain),"
                + "\"uncertain_reasons\":[" + face.quality.reasons.map { "\"\($0.rawValue)\"" }.joined(separator: ",")
                + "]}"
        }
        fields.append("\"faces\":[" + faces.joined(separator: ",") + "]")
        try file.write("{" + fields.joined(separator: ",") + "}\n")
        if isLive { try file.flush() }
    }

    func finish(_ event: FinishEvent) throws { try file.commit() }
    func discard() { file.discard() }
    func flushForCheckpoint() throws -> PhotoSetCheckpoint.PartialFile { try file.flushForCheckpoint() }
    func setAside(as path: String) throws { try file.setAside(as: path) }
}
