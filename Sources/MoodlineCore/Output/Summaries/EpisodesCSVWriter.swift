/// Writes `episodes.csv`: per track, each emotion episode found on the smoothed timeline (`EpisodeFinder`), with
/// `track,person,subject,emotion,onset_s,offset_s,duration_s,peak_s,peak_probability`, by track and then time.
final class EpisodesCSVWriter: SummarySink {
    static let columns = [
        "track", "person", "subject", "emotion", "onset_s", "offset_s", "duration_s", "peak_s", "peak_probability",
    ]
    let folder: String
    var fileName: String { "episodes.csv" }

    init(context: SinkContext) {
        folder = context.folder
    }

    func contents(for event: FinishEvent) throws -> String {
        let seconds: (Double) -> String = { FixedPoint.format($0, decimals: Precision.seconds) }
        let rows = event.episodes.map { e in
            [
                "\(e.trackID)", event.personCell(e.trackID), event.subjectFlag(e.trackID), e.emotion.rawValue,
                seconds(e.onsetSeconds),
                seconds(e.offsetSeconds),
                seconds(e.durationSeconds), seconds(e.peakSeconds),
                FixedPoint.format(e.peakProbability, decimals: Precision.probability),
            ]
            .joined(separator: ",")
        }
        return ([Self.columns.joined(separator: ",")] + rows).joined(separator: "\n") + "\n"
    }
}
