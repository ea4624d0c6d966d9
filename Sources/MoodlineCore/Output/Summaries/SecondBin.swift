/// The readings of one subject in one whole second of source time: how many there were and the sums of their
/// smoothed probabilities.
///
/// Bins of the same second add up reading by reading, so when a subject's face is on two tracks in one second
/// (a cut, a lost and found face) the second is one bin whose mean is weighted by readings, never two rows.
struct SecondBin: Equatable {
    /// The whole second (floor of the time).
    let second: Int
    private(set) var readings = 0
    private(set) var sums = [Double](repeating: 0, count: Emotion.allCases.count)

    init(second: Int) {
        self.second = second
    }

    /// The mean smoothed probabilities; nil for a second without a reading.
    var mean: EmotionScores? {
        readings > 0 ? EmotionScores(probabilities: sums.map { Float($0 / Double(readings)) }) : nil
    }

    mutating func add(_ scores: EmotionScores) {
        readings += 1
        for (c, p) in scores.probabilities.enumerated() { sums[c] += Double(p) }
    }

    mutating func add(_ other: SecondBin) {
        precondition(other.second == second, "only bins of one second add up")
        readings += other.readings
        for c in sums.indices { sums[c] += other.sums[c] }
    }

    /// The whole second `seconds` falls in (its floor); a time past what an Int holds (a crafted file's) is clamped.
    static func second(of seconds: Double) -> Int {
        guard seconds.isFinite else { return 0 }
        return Int(min(max(seconds, -9e15), 9e15).rounded(.down))
    }

    /// The readings of `tracks` (one subject's) by whole second.
    static func bins(of tracks: [TrackSummary]) -> [Int: SecondBin] {
        var bins: [Int: SecondBin] = [:]
        for point in tracks.flatMap(\.timeline) {
            let second = Self.second(of: point.timeSeconds)
            bins[second, default: SecondBin(second: second)].add(point.scores)
        }
        return bins
    }
}
