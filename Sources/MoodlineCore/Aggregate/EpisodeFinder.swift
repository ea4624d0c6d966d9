/// Finds emotion episodes on a smoothed timeline with two thresholds (hysteresis) and a minimum duration.
///
/// One emotion at a time: an emotion enters when its probability reaches `enter` and leads the reading; it ends
/// when it drops below `exit`, when another emotion reaches `enter` and overtakes it, or at a gap in the track
/// longer than `maximumGapSeconds`. An episode ends at the time of the point that ended it, so back-to-back
/// episodes meet without overlapping; at a gap or at the track's end it ends at its last point.
public struct EpisodeFinder: Sendable {
    public let settings: EpisodeSettings
    /// Gaps between points longer than this end an episode (the tracker's missing time).
    public let maximumGapSeconds: Double

    public init(settings: EpisodeSettings, maximumGapSeconds: Double) {
        self.settings = settings
        self.maximumGapSeconds = maximumGapSeconds
    }

    /// The track's episodes in time order.
    public func episodes(trackID: Int, timeline: [TimelinePoint]) -> [Episode] {
        var found: [Episode] = []
        var open: (emotion: Int, onset: Double, peak: Double, peakTime: Double, last: Double)?

        func close(at time: Double) {
            guard let current = open else { return }
            open = nil
            guard time - current.onset >= settings.minimumDurationSeconds else { return }
            found.append(
                Episode(
                    trackID: trackID, emotion: Emotion.allCases[current.emotion], onsetSeconds: current.onset,
                    offsetSeconds: time, peakSeconds: current.peakTime, peakProbability: current.peak))
        }

        for point in timeline {
            let p = point.scores.probabilities.map(Double.init)
            if let current = open, point.timeSeconds - current.last > maximumGapSeconds { close(at: current.last) }
            var leader = 0
            for c in p.indices where p[c] > p[leader] { leader = c }
            if let current = open {
                let takenOver = leader != current.emotion && p[leader] >= settings.enterProbability
                if p[current.emotion] < settings.exitProbability || takenOver {
                    close(at: point.timeSeconds)
                } else {
                    open!.last = point.timeSeconds
                    if p[current.emotion] > current.peak {
                        (open!.peak, open!.peakTime) = (p[current.emotion], point.timeSeconds)
                    }
                    continue
                }
            }
            if p[leader] >= settings.enterProbability {
                open = (leader, point.timeSeconds, p[leader], point.timeSeconds, point.timeSeconds)
            }
        }
        if let current = open { close(at: current.last) }
        return found
    }
}
