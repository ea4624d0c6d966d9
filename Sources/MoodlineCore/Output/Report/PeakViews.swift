import MoodlineMedia

/// The faces a video report shows for its episodes: per track, for each stretch of time, the crop where each
/// emotion read strongest. When a track has more than `maximumStretches` stretches, neighbours are joined (keeping
/// the stronger view) and its stretches double in length, so memory stays bounded however long the video runs.
struct PeakViews {
    /// One face: when, how strongly the emotion read, and the classifier's crop.
    struct View {
        let seconds: Double
        let probability: Float
        let crop: PixelBuffer
    }

    /// The strongest view of each emotion in one stretch, in `Emotion.allCases` order.
    private struct Stretch {
        var index: Int
        var best: [View?] = Array(repeating: nil, count: Emotion.allCases.count)

        mutating func keep(_ other: Stretch) {
            for e in best.indices where (other.best[e]?.probability ?? -1) > (best[e]?.probability ?? -1) {
                best[e] = other.best[e]
            }
        }
    }

    private struct Track {
        var stretchSeconds: Double
        var stretches: [Stretch] = []
    }

    let maximumStretches: Int
    private let firstStretchSeconds: Double
    private var tracks: [Int: Track] = [:]

    init(stretchSeconds: Double = 2, maximumStretches: Int = 128) {
        firstStretchSeconds = stretchSeconds
        self.maximumStretches = maximumStretches
    }

    /// Notes a face of `track` read at `seconds` (faces come in time order).
    mutating func add(track id: Int, seconds: Double, scores: EmotionScores, crop: PixelBuffer) {
        var track = tracks[id] ?? Track(stretchSeconds: firstStretchSeconds)
        let index = Int(max(0, min(seconds, 1e9)) / track.stretchSeconds)
        if track.stretches.last?.index != index { track.stretches.append(Stretch(index: index)) }
        let last = track.stretches.count - 1
        for (e, p) in scores.probabilities.enumerated() where p > (track.stretches[last].best[e]?.probability ?? -1) {
            track.stretches[last].best[e] = View(seconds: seconds, probability: p, crop: crop)
        }
        if track.stretches.count > maximumStretches {
            // Twice as long a stretch: pairs of neighbours become one.
            track.stretchSeconds *= 2
            var joined: [Stretch] = []
            for stretch in track.stretches {
                let index = stretch.index / 2
                if joined.last?.index == index {
                    joined[joined.count - 1].keep(stretch)
                } else {
                    var halved = stretch
                    halved.index = index
                    joined.append(halved)
                }
            }
            track.stretches = joined
        }
        tracks[id] = track
    }

    /// How many stretches `track` keeps (for tests of the bound).
    func stretchCount(track id: Int) -> Int { tracks[id]?.stretches.count ?? 0 }

    /// The face where `emotion` read strongest on `track` between `from` and `to` seconds (stretches that overlap
    /// the span count, so the view may lie up to a stretch outside it); nil when the track has none there.
    func view(track id: Int, emotion: Emotion, from: Double, to: Double) -> View? {
        guard let track = tracks[id] else { return nil }
        var best: View?
        for stretch in track.stretches {
            let start = Double(stretch.index) * track.stretchSeconds
            guard start <= to, start + track.stretchSeconds >= from, let view = stretch.best[emotion.index] else {
                continue
            }
            if view.probability > best?.probability ?? -1 { best = view }
        }
        return best
    }
}
