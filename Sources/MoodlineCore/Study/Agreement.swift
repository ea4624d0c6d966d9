/// How far two raters of the same frames agree, over the seven emotions: percent agreement, Cohen's kappa with two
/// 95% intervals, the confusion matrix, each class's precision, recall and F1 (the first rater as the reference),
/// and agreement over time. `moodline agree` measures the tool against a human coder, and two coders against each
/// other (the human ceiling).
public struct Agreement: Sendable, Equatable {
    /// One frame both raters labelled.
    public struct Pair: Sendable, Equatable {
        public let time: Double
        /// The reference (the human coder, or the first of two coders).
        public let reference: Emotion
        public let rated: Emotion

        public init(time: Double, reference: Emotion, rated: Emotion) {
            self.time = time
            self.reference = reference
            self.rated = rated
        }
    }

    /// One class's scores against the reference; nil where undefined (no frame of it on that side).
    public struct ClassScores: Sendable, Equatable {
        public let emotion: Emotion
        /// Frames the reference gives this class.
        public let support: Int
        public let precision: Double?
        public let recall: Double?
        public let f1: Double?
    }

    /// Agreement within one stretch of time.
    public struct Bin: Sendable, Equatable {
        public let start: Double
        public let end: Double
        public let compared: Int
        public let agreement: Double
    }

    public let compared: Int
    /// Observed agreement: the share of compared frames with the same label.
    public let observed: Double
    /// Agreement expected by chance from the two raters' label frequencies.
    public let expected: Double
    /// Cohen's kappa, (observed − expected) / (1 − expected); nil when expected is 1 (one label throughout).
    public let kappa: Double?
    /// The 95% interval from Cohen's (1960) standard error, sqrt(po(1 − po) / (n (1 − pe)²)): it takes frames as
    /// independent, which neighbouring video frames are not, so it is too narrow for video.
    public let kappaIntervalIndependent: ClosedRange<Double>?
    /// The 95% interval from a block bootstrap: blocks of `blockSeconds` resampled whole, so that the frames'
    /// dependence on their neighbours is kept; percentiles of `resamples` seeded resamples (the same every run). Nil
    /// with fewer than two blocks.
    public let kappaIntervalBlocks: ClosedRange<Double>?
    /// `confusion[reference][rated]`, in `Emotion.allCases` order.
    public let confusion: [[Int]]
    public let classes: [ClassScores]
    public let overTime: [Bin]

    /// Measures `pairs` (in time order); bins of `binSeconds` for agreement over time; bootstrap blocks of
    /// `blockSeconds`.
    public init(
        pairs: [Pair], binSeconds: Double = 60, blockSeconds: Double = 10, resamples: Int = 2000, seed: UInt64 = 1
    ) {
        let k = Emotion.allCases.count
        let matrix = Self.confusion(pairs)
        confusion = matrix
        compared = pairs.count
        let (po, pe, kappa) = Self.kappa(matrix)
        observed = po
        expected = pe
        self.kappa = kappa
        if let kappa, compared > 0 {
            let se = (po * (1 - po) / (Double(compared) * (1 - pe) * (1 - pe))).squareRoot()
            kappaIntervalIndependent = (kappa - 1.959964 * se)...(kappa + 1.959964 * se)
        } else {
            kappaIntervalIndependent = nil
        }
        kappaIntervalBlocks = Self.blockInterval(pairs, blockSeconds: blockSeconds, resamples: resamples, seed: seed)
        classes = Emotion.allCases.map { emotion in
            let i = emotion.index
            let truePositives = matrix[i][i]
            let support = matrix[i].reduce(0, +)
            let predicted = (0..<k).reduce(0) { $0 + matrix[$1][i] }
            let precision = predicted > 0 ? Double(truePositives) / Double(predicted) : nil
            let recall = support > 0 ? Double(truePositives) / Double(support) : nil
            // 2TP / (reference's + rated's frames of the class): 0, not undefined, for a class one side never gives.
            let f1 = support + predicted > 0 ? 2 * Double(truePositives) / Double(support + predicted) : nil
            return ClassScores(emotion: emotion, support: support, precision: precision, recall: recall, f1: f1)
        }
        overTime = Self.bins(pairs, seconds: binSeconds)
    }

    static func confusion(_ pairs: some Sequence<Pair>) -> [[Int]] {
        var matrix = [[Int]](
            repeating: [Int](repeating: 0, count: Emotion.allCases.count), count: Emotion.allCases.count)
        for pair in pairs { matrix[pair.reference.index][pair.rated.index] += 1 }
        return matrix
    }

    /// Observed and chance agreement and kappa of a confusion matrix.
    static func kappa(_ matrix: [[Int]]) -> (observed: Double, expected: Double, kappa: Double?) {
        let n = Double(matrix.joined().reduce(0, +))
        guard n > 0 else { return (0, 0, nil) }
        let k = matrix.count
        let observed = Double((0..<k).reduce(0) { $0 + matrix[$1][$1] }) / n
        let expected = (0..<k).reduce(0.0) { sum, i in
            sum + Double(matrix[i].reduce(0, +)) / n * Double((0..<k).reduce(0) { $0 + matrix[$1][i] }) / n
        }
        guard expected < 1 - 1e-12 else { return (observed, expected, nil) }
        return (observed, expected, (observed - expected) / (1 - expected))
    }

    private static func blockInterval(
        _ pairs: [Pair], blockSeconds: Double, resamples: Int, seed: UInt64
    )
        -> ClosedRange<Double>?
    {
        var blocks: [Int: [[Int]]] = [:]
        for pair in pairs {
            let block = Int((pair.time / blockSeconds).rounded(.down))
            blocks[block, default: confusion([])][pair.reference.index][pair.rated.index] += 1
        }
        let list = blocks.keys.sorted().map { blocks[$0]! }
        guard list.count >= 2, resamples > 0 else { return nil }
        var random = SplitMix64(seed: seed)
        var kappas: [Double] = []
        for _ in 0..<resamples {
            var sum = confusion([])
            for _ in list.indices {
                let block = list[Int(random.next() % UInt64(list.count))]
                for i in sum.indices { for j in sum.indices { sum[i][j] += block[i][j] } }
            }
            if let kappa = kappa(sum).kappa { kappas.append(kappa) }
        }
        guard !kappas.isEmpty else { return nil }
        kappas.sort()
        let at: (Double) -> Double = { kappas[Int(($0 * Double(kappas.count - 1)).rounded())] }
        return at(0.025)...at(0.975)
    }

    /// The bins holding compared frames, in time order (a bin with none has no entry, so a part of a long video
    /// far from 0 s costs nothing).
    private static func bins(_ pairs: [Pair], seconds: Double) -> [Bin] {
        guard seconds > 0 else { return [] }
        var counts: [Int: (compared: Int, same: Int)] = [:]
        for pair in pairs {
            let b = Int((pair.time / seconds).rounded(.down))
            var entry = counts[b] ?? (0, 0)
            entry.compared += 1
            if pair.reference == pair.rated { entry.same += 1 }
            counts[b] = entry
        }
        return counts.keys.sorted().map { b in
            let entry = counts[b]!
            return Bin(
                start: Double(b) * seconds, end: Double(b + 1) * seconds, compared: entry.compared,
                agreement: Double(entry.same) / Double(entry.compared))
        }
    }
}

/// A small seeded generator (SplitMix64): the bootstrap gives the same interval on every run and machine.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
