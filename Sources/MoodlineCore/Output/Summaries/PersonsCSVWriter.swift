/// Writes `persons.csv`: which person each track is, one row per track (`track,person,first_time_s,last_time_s,
/// screen_time_s,dominant_emotion`), in track order. It is also how a user corrects the grouping: change `person`
/// (the same number for tracks of one person, a new number to split one off) and run `moodline regroup`, which
/// reads only the `track` and `person` columns.
final class PersonsCSVWriter: SummarySink {
    static let columns = ["track", "person", "first_time_s", "last_time_s", "screen_time_s", "dominant_emotion"]
    static let fileName = "persons.csv"
    let folder: String
    var fileName: String { Self.fileName }

    init(context: SinkContext) {
        folder = context.folder
    }

    func contents(for event: FinishEvent) throws -> String {
        let seconds = { (value: Double) in FixedPoint.format(value, decimals: Precision.seconds) }
        var lines = [Self.columns.joined(separator: ",")]
        for track in event.tracks.sorted(by: { $0.id < $1.id }) {
            lines.append(
                "\(track.id),\(event.personCell(track.id)),\(seconds(track.firstSeconds)),\(seconds(track.lastSeconds)),"
                    + "\(seconds(track.screenSeconds)),\(track.meanProbabilities.label.rawValue)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
