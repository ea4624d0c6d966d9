import MoodlineMedia

/// The faces a video report shows for its episodes: per track, for each stretch of time, the crop where each
/// emotion read strongest. When a track has more than `maximumStretches` stretches, neighbours are joined (keeping
/// the stronger view) and its stretches double in length. Over all tracks at most `maximumTotal` stretches are
/// kept: past it the track with the most is coarsened, or, when every track is down to one stretch (a crowd over
/// hours), the track seen longest ago is forgotten (its episodes are then listed without a face). So memory stays
/// bounded however long the video runs and however many tracks it has.
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
        var lastSeconds = 0.0

        /// Twice as long a stretch: pairs of neighbours become one.
        mutating func coarsen() {
            stretchSeconds *= 2
            var joined: [Stretch] = []
            for stretch in stretches {
                let index = stretch.index / 2
                if joined.last?.index == index {
                    joined[joined.count - 1].keep(stretch)
                } else {
                    var halved = stretch
                    halved.index = index
                    joined.append(halved)
                }
            }
            stretches = joined
        }
    }

    let maximumStretches: Int
    let maximumTotal: Int
    private let firstStretchSeconds: Double
    private var tracks: [Int: Track] = [:]
    private var total = 0

    init(stretchSeconds: Double = 2, maximumStretches: Int = 128, maximumTotal: Int = 2048) {
        firstStretchSeconds = stretchSeconds
        self.maximumStretches = maximumStretches
        self.maximumTotal = maximumTotal
    }

    /// Stretches kept over all tracks.
    var stretchTotal: Int { total }

    /// Notes a face of `track` read at `seconds` (faces come in time order).
    mutating func add(track id: Int, seconds: Double, scores: EmotionScores, crop: PixelBuffer) {
        var track = tracks[id] ?? Track(stretchSeconds: firstStretchSeconds)
        let before = track.stretches.count
        track.lastSeconds = seconds
        let index = Int(max(0, min(seconds, 1e9)) / track.stretchSeconds)
        if track.stretches.last?.index != index { track.stretches.append(Stretch(index: index)) }
        let last = track.stretches.count - 1
        for (e, p) in scores.probabilities.enumerated() where p > (track.stretches[last].best[e]?.probability ?? -1) {
            track.stretches[last].best[e] = View(seconds: seconds, probability: p, crop: crop)
        }
        if track.stretches.count > maximumStretches { track.coarsen() }
        total += track.stretches.count - before
        tracks[id] = track
        while total > maximumTotal { shrink(keeping: id) }
    }

    /// Coarsens the track with the most stretches, or forgets the one seen longest ago (never `current`).
    private mutating func shrink(keeping current: Int) {
        if let (id, largest) = tracks.max(by: {
            ($0.value.stretches.count, $1.key) < ($1.value.stretches.count, $0.key)
        }),
            largest.stretches.count > 1
        {
            var track = largest
            track.coarsen()
            total -= largest.stretches.count - track.stretches.count
            tracks[id] = track
            return
        }
        let oldest = tracks.filter { $0.key != current }.min {
            ($0.value.lastSeconds, $0.key) < ($1.value.lastSeconds, $1.key)
        }
        guard let (id, track) = oldest else { return }
        total -= track.stretches.count
        tracks[id] = nil
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
