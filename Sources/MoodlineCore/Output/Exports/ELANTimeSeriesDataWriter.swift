import Foundation

/// Writes `episodes_timeseries.csv`, the data of the time series ELAN draws under the video: one row per sampled
/// frame on which some track has a reading (`time_s` first, in seconds as ELAN reads them), one column per track and
/// emotion with its smoothed probability, and `NaN` where that track has no face (ELAN leaves a gap; pandas reads a
/// missing value). Where no track has a reading for longer than the tracker's missing time, a row of `NaN` marks
/// the gap, so the curves do not run straight across it.
///
/// The header line starts with `#` because ELAN skips such lines and would otherwise read the names as a sample.
final class ELANTimeSeriesDataWriter: SummarySink {
    let folder: String
    var fileName: String { ELANTimeSeries.dataFileName }

    init(context: SinkContext) {
        folder = context.folder
    }

    func contents(for event: FinishEvent) throws -> String {
        let curves = ELANTimeSeries.curves(of: event)
        let tracks = event.tracksSubjectFirst
        var times: [Int: Double] = [:]
        let points: [[Int: TimelinePoint]] = tracks.map { track in
            var byFrame: [Int: TimelinePoint] = [:]
            for point in track.timeline {
                byFrame[point.frameIndex] = point
                times[point.frameIndex] = point.timeSeconds
            }
            return byFrame
        }
        var lines = [(["# time_s"] + curves.map { CSVText.field($0.name) }).joined(separator: ",")]
        let gap = event.definition.tracking.maximumMissingSeconds
        var previous: Double?
        for frame in times.keys.sorted() {
            let seconds = times[frame]!
            if let previous, seconds - previous > gap {
                let middle = FixedPoint.format((previous + seconds) / 2, decimals: Precision.seconds)
                lines.append(([middle] + [String](repeating: "NaN", count: curves.count)).joined(separator: ","))
            }
            previous = seconds
            var row = [FixedPoint.format(seconds, decimals: Precision.seconds)]
            for byFrame in points {
                if let point = byFrame[frame] {
                    row += point.scores.probabilities.map { FixedPoint.format($0, decimals: Precision.probability) }
                } else {
                    row += [String](repeating: "NaN", count: Emotion.allCases.count)
                }
            }
            lines.append(row.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
