/// Writes `tracks.json`: the main subject's person ID (`subject_person`), and per track its person, time span, frames seen, screen time, mean box, centre and relative size,
/// whether it is the main subject, mean probabilities, dominant emotion, share of time per emotion and the
/// smoothed timeline (one point per line, for diffs and quick reading); and `tracks_left_out`, the IDs that
/// `frames.csv` gives to tracks never kept (every reading uncertain).
/// Everything is written at the finish, from the track summaries.
final class TracksJSONWriter: FrameSink {
    private let folder: String
    var fileName: String { "tracks.json" }

    init(context: SinkContext) {
        folder = context.folder
    }

    func consume(_ frame: TrackedFrame) throws {}
    func discard() {}

    func finish(_ event: FinishEvent) throws {
        try Self.write(event, folder: folder)
    }

    /// A track's summary as JSON object members (no braces, no timeline): its span, place and emotions, and
    /// its person and whether it is the main subject's when those are known (nil leaves the member out).
    static func summaryFields(
        _ track: TrackSummary, isSubject: Bool?, person: Int? = nil, picture: PictureSize?
    ) -> String {
        let seconds: (Double) -> String = { FixedPoint.format($0, decimals: Precision.seconds) }
        let share =
            "{"
            + zip(Emotion.allCases, track.timeShare).map {
                "\"\($0.rawValue)\":\(FixedPoint.format($1, decimals: Precision.probability))"
            }.joined(separator: ",") + "}"
        let span =
            "\"id\":\(track.id),\(person.map { "\"person\":\($0)," } ?? "")\"first_time_s\":\(seconds(track.firstSeconds)),"
            + "\"last_time_s\":\(seconds(track.lastSeconds)),\"frames_seen\":\(track.framesSeen),"
            + "\"screen_time_s\":\(seconds(track.screenSeconds)),\(isSubject.map { "\"subject\":\($0)," } ?? "")"
        let pixels: (Double) -> String = { FixedPoint.format($0, decimals: Precision.pixels) }
        let box = track.meanBox
        let place =
            "\"mean_box\":{\"x\":\(pixels(box.x)),\"y\":\(pixels(box.y)),\"w\":\(pixels(box.width)),\"h\":\(pixels(box.height))},"
            + "\"centre\":{\"x\":\(pixels(box.centre.x)),\"y\":\(pixels(box.centre.y))},"
            + "\"relative_size\":\(FixedPoint.format(track.relativeSize(picture: picture), decimals: Precision.probability)),"
        let summary =
            "\"mean_probabilities\":\(JSONText.probabilities(track.meanProbabilities)),"
            + "\"dominant_emotion\":\"\(track.dominantEmotion.rawValue)\",\"time_share\":\(share)"
        return span + place + summary
    }

    static func write(_ event: FinishEvent, folder: String) throws {
        let (tracks, smoothing) = (event.tracks, event.definition.smoothing)
        let picture = event.outcome.media?.pictureSize
        let file = try AtomicOutputFile(folder: folder, name: "tracks.json")
        do {
            let seconds: (Double) -> String = { FixedPoint.format($0, decimals: Precision.seconds) }
            try file.write(
                "{\"schema_version\":\(MoodlineVersion.schema),\"input\":\(JSONText.string(event.input.path)),"
                    + "\"subject_person\":\(event.subject.map(String.init) ?? "null"),"
                    + "\"tracks_left_out\":[\(event.outcome.tracksLeftOut.map(String.init).joined(separator: ","))],"
                    + "\"smoothing\":{\"method\":\"\(smoothing.method.rawValue)\",\"window_s\":\(seconds(smoothing.windowSeconds))},"
                    + "\"tracks\":[")
            for (n, track) in tracks.enumerated() {
                let fields = summaryFields(
                    track, isSubject: event.isSubject(track: track.id), person: event.person(ofTrack: track.id),
                    picture: picture)
                try file.write((n == 0 ? "\n{" : ",\n{") + fields + ",\"timeline\":[")
                for (i, point) in track.timeline.enumerated() {
                    let when = "{\"frame\":\(point.frameIndex),\"time_s\":\(seconds(point.timeSeconds)),"
                    let what =
                        "\"probabilities\":\(JSONText.probabilities(point.scores)),\"emotion\":\"\(point.scores.label.rawValue)\","
                    let confidence =
                        "\"confidence\":" + FixedPoint.format(point.scores.confidence, decimals: Precision.probability)
                        + "}"
                    try file.write((i == 0 ? "\n" : ",\n") + when + what + confidence)
                }
                try file.write("]}")
            }
            try file.write("\n]}\n")
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }
}
