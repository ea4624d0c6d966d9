/// Writes `seconds.csv`: per track and per whole second of source time, the mean of the smoothed probabilities
/// over the readings in that second and the dominant emotion
/// (`track,subject,second,readings,angry,...,neutral,dominant`). Seconds without a reading of the track are left
/// out rather than filled.
final class SecondsCSVWriter: SummarySink {
    static let columns = ["track", "subject", "second", "readings"] + Emotion.allCases.map(\.rawValue) + ["dominant"]
    let folder: String
    var fileName: String { "seconds.csv" }

    init(context: SinkContext) {
        folder = context.folder
    }

    func contents(for event: FinishEvent) throws -> String {
        var lines = [Self.columns.joined(separator: ",")]
        for track in event.tracks {
            for bin in Self.bins(track.timeline) {
                let mean = EmotionScores(probabilities: bin.sums.map { Float($0 / Double(bin.count)) })
                let fields = ["\(track.id)", event.subjectFlag(track.id), "\(bin.second)", "\(bin.count)"]
                    + mean.probabilities.map { FixedPoint.format($0, decimals: Precision.probability) } + [mean.label.rawValue]
                lines.append(fields.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The timeline's points grouped by whole second (floor of the time), with the sums of their probabilities.
    static func bins(_ timeline: [TimelinePoint]) -> [(second: Int, count: Int, sums: [Double])] {
        var bins: [(second: Int, count: Int, sums: [Double])] = []
        for point in timeline {
            let second = Int(point.timeSeconds.rounded(.down))
            if bins.last?.second != second { bins.append((second, 0, [Double](repeating: 0, count: Emotion.allCases.count))) }
            bins[bins.count - 1].count += 1
            for (c, p) in point.scores.probabilities.enumerated() { bins[bins.count - 1].sums[c] += Double(p) }
        }
        return bins
    }
}
