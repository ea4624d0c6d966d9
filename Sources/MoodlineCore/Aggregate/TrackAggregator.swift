import Foundation

/// Collects each track's per-frame emotion scores and, at the end of an input, smooths them over time and
/// summarises each track. Confined to one queue.
public struct TrackAggregator: Sendable {
    struct Observation: Sendable {
        let frameIndex: Int
        let seconds: Double
        let probabilities: [Float]
        let box: Box
    }

    public let smoothing: SmoothingSettings
    /// Gaps longer than this (the tracker's missing time) do not count as time on screen.
    public let maximumGapSeconds: Double
    private var observations: [Int: [Observation]] = [:]
    /// Observations in `observations`, all tracks together.
    public private(set) var observationsInMemory = 0
    /// Where observations go once `spillThreshold` are in memory (live inputs); nil keeps them all in memory.
    private var spill: (folder: String, file: ObservationSpill?, threshold: Int)?
    /// Why spilling stopped, if it failed (everything then stays in memory).
    public private(set) var spillProblem: String?

    public init(smoothing: SmoothingSettings, maximumGapSeconds: Double) {
        self.smoothing = smoothing
        self.maximumGapSeconds = maximumGapSeconds
    }

    /// Moves the observations to a hidden file in `folder` whenever `threshold` are in memory, so that memory stays
    /// flat however long the input runs (a live input's); summaries read them back. The file is made when first
    /// needed and deleted with the aggregator.
    public mutating func spill(toFolder folder: String, every threshold: Int = 20_000) {
        precondition(threshold > 0)
        spill = (folder, nil, threshold)
    }

    /// Records a face of track `trackID`. Call in time order.
    public mutating func add(trackID: Int, frameIndex: Int, seconds: Double, scores: EmotionScores, box: Box) {
        observations[trackID, default: []].append(
            Observation(frameIndex: frameIndex, seconds: seconds, probabilities: scores.probabilities, box: box))
        observationsInMemory += 1
        if let spill, observationsInMemory >= spill.threshold { moveToDisk() }
    }

    private mutating func moveToDisk() {
        guard let (folder, existing, threshold) = spill else { return }
        do {
            let file = try existing ?? ObservationSpill(folder: folder)
            for id in observations.keys.sorted() { try file.write(id, observations[id]!) }
            spill = (folder, file, threshold)
            observations = [:]
            observationsInMemory = 0
        } catch {
            spillProblem = "\(error)"
            spill = nil
        }
    }

    /// Every observation of track `id` (or of every track), from disk first, then from memory: in time order.
    private func allObservations(of id: Int?) -> [Int: [Observation]] {
        guard let file = spill?.file, id.map({ file.tracks.contains($0) }) ?? true,
            let onDisk = try? file.read(track: id)
        else {
            return id.map { id in observations[id].map { [id: $0] } ?? [:] } ?? observations
        }
        return onDisk.merging(id.map { id in observations[id].map { [id: $0] } ?? [:] } ?? observations) { $0 + $1 }
    }

    /// The summary of one track so far; nil when it has no readings (all of them uncertain).
    public func summary(of id: Int) -> TrackSummary? {
        allObservations(of: id)[id].map { summarise(id: id, $0) }
    }

    /// The summaries of every track, by ID.
    public func summaries() -> [TrackSummary] {
        let all = allObservations(of: nil)
        return all.keys.sorted().map { summarise(id: $0, all[$0]!) }
    }

    private func summarise(id: Int, _ points: [Observation]) -> TrackSummary {
        let classes = Emotion.allCases.count
        var mean = [Double](repeating: 0, count: classes)
        var box = Box(x: 0, y: 0, width: 0, height: 0)
        for point in points {
            for c in 0..<classes { mean[c] += Double(point.probabilities[c]) }
            box.x += point.box.x
            box.y += point.box.y
            box.width += point.box.width
            box.height += point.box.height
        }
        let n = Double(points.count)
        let meanBox = Box(x: box.x / n, y: box.y / n, width: box.width / n, height: box.height / n)
        let smoothed = smooth(points)
        let timeline = zip(points, smoothed).map {
            TimelinePoint(frameIndex: $0.frameIndex, timeSeconds: $0.seconds, scores: EmotionScores(probabilities: $1))
        }
        // Each point stands for half the gap to each neighbour (gaps capped); a lone point counts as one unit.
        var share = [Double](repeating: 0, count: classes)
        for (i, point) in timeline.enumerated() {
            let before = i > 0 ? min(point.timeSeconds - timeline[i - 1].timeSeconds, maximumGapSeconds) : 0
            let after =
                i + 1 < timeline.count ? min(timeline[i + 1].timeSeconds - point.timeSeconds, maximumGapSeconds) : 0
            let weight = timeline.count == 1 ? 1 : (before + after) / 2
            share[point.scores.label.index] += weight
        }
        let total = share.reduce(0, +)
        return TrackSummary(
            id: id, firstSeconds: points.first!.seconds, lastSeconds: points.last!.seconds, framesSeen: points.count,
            meanProbabilities: EmotionScores(probabilities: mean.map { Float($0 / n) }),
            timeShare: total > 0 ? share.map { $0 / total } : share, screenSeconds: timeline.count == 1 ? 0 : total,
            meanBox: meanBox, timeline: timeline)
    }

    /// Smoothed probabilities for each point, by time (never by frame count).
    private func smooth(_ points: [Observation]) -> [[Float]] {
        let classes = Emotion.allCases.count
        switch smoothing.method {
        case .none:
            return points.map(\.probabilities)
        case .window:
            // Two pointers over time: the points within ±window/2 of each point.
            let half = smoothing.windowSeconds / 2
            var result: [[Float]] = []
            var low = 0, high = 0
            var sum = [Double](repeating: 0, count: classes)
            for point in points {
                while high < points.count && points[high].seconds <= point.seconds + half + 1e-9 {
                    for c in 0..<classes { sum[c] += Double(points[high].probabilities[c]) }
                    high += 1
                }
                while points[low].seconds < point.seconds - half - 1e-9 {
                    for c in 0..<classes { sum[c] -= Double(points[low].probabilities[c]) }
                    low += 1
                }
                let count = Double(high - low)
                result.append(sum.map { Float($0 / count) })
            }
            return result
        case .ema:
            var state = points.first.map { $0.probabilities.map(Double.init) } ?? []
            var last = points.first?.seconds ?? 0
            return points.map { point in
                let alpha = smoothing.windowSeconds > 0 ? 1 - exp(-(point.seconds - last) / smoothing.windowSeconds) : 1
                for c in 0..<classes { state[c] += alpha * (Double(point.probabilities[c]) - state[c]) }
                last = point.seconds
                return state.map { Float($0) }
            }
        }
    }
}
