/// Writes `timeline.csv`: each track's smoothed timeline in long, tidy form, one row per track, sampled frame and
/// emotion (`track,person,subject,frame,time_s,emotion,probability,leading,valence,arousal`), ready for `pandas.pivot`
/// or a spreadsheet's pivot table. `leading` is 1 on the emotion that leads the point; `valence` and `arousal` are the
/// point's, derived from its seven probabilities (`AffectCoordinates`), the same on its seven rows.
final class TimelineCSVWriter: SummarySink {
    static let columns = [
        "track", "person", "subject", "frame", "time_s", "emotion", "probability", "leading", "valence", "arousal",
    ]
    let folder: String
    var fileName: String { "timeline.csv" }

    init(context: SinkContext) {
        folder = context.folder
    }

    func contents(for event: FinishEvent) throws -> String {
        var lines = [Self.columns.joined(separator: ",")]
        for track in event.tracks {
            let subject = event.subjectFlag(track.id), person = event.personCell(track.id)
            for point in track.timeline {
                let prefix =
                    "\(track.id),\(person),\(subject),\(point.frameIndex),\(FixedPoint.format(point.timeSeconds, decimals: Precision.seconds)),"
                let leader = point.scores.label
                let affect = "," + AffectCoordinates.cells(point.scores.probabilities).joined(separator: ",")
                for (emotion, probability) in zip(Emotion.allCases, point.scores.probabilities) {
                    lines.append(
                        prefix + emotion.rawValue + ","
                            + FixedPoint.format(probability, decimals: Precision.probability)
                            + (emotion == leader ? ",1" : ",0") + affect)
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
