/// How the quality gate sorts labelled readings: for each reason, how many readings it marks and how often the
/// marked and the kept ones are right, and how often readings are right at each confidence. A reason whose marked
/// readings are right as often as the rest says nothing about them; labelled data fits its threshold.
public struct GateAudit: Sendable, Equatable {
    /// One reason's marks (`any`: marked for at least one reason).
    public struct Row: Sendable, Equatable {
        /// An `UncertainReason`'s raw value, or `any`.
        public let reason: String
        public let marked: Int
        public let markedRight: Int
        public let kept: Int
        public let keptRight: Int

        /// How often the marked readings are right (nil when none is marked).
        public var markedAccuracy: Double? { marked > 0 ? Double(markedRight) / Double(marked) : nil }
        /// How often the readings it keeps are right (nil when it keeps none).
        public var keptAccuracy: Double? { kept > 0 ? Double(keptRight) / Double(kept) : nil }
    }

    /// Readings whose top probability falls in `[lower, lower + width)`.
    public struct Band: Sendable, Equatable {
        public let lower: Double
        public let count: Int
        public let right: Int

        public var accuracy: Double? { count > 0 ? Double(right) / Double(count) : nil }
    }

    /// The width of a confidence band.
    public static let bandWidth = 0.1
    /// The fewest readings a band needs to count in `confidenceWhereMostlyRight` by default.
    public static let minimumBandReadings = 20

    /// One row per reason, in `UncertainReason`'s order, then `any`.
    public let rows: [Row]
    /// Ten bands from 0 to 1 (the last one includes 1).
    public let bands: [Band]

    /// - Parameters:
    ///   - reasons: per reading, the gate's reasons (empty: the reading stands).
    ///   - correct: per reading, whether its top class is the truth.
    ///   - confidences: per reading, its top probability.
    public init(reasons: [[UncertainReason]], correct: [Bool], confidences: [Double]) {
        precondition(reasons.count == correct.count && correct.count == confidences.count, "one verdict per reading")
        func row(_ name: String, _ isMarked: ([UncertainReason]) -> Bool) -> Row {
            var marked = 0, markedRight = 0, kept = 0, keptRight = 0
            for (why, right) in zip(reasons, correct) {
                if isMarked(why) {
                    marked += 1
                    if right { markedRight += 1 }
                } else {
                    kept += 1
                    if right { keptRight += 1 }
                }
            }
            return Row(reason: name, marked: marked, markedRight: markedRight, kept: kept, keptRight: keptRight)
        }
        rows =
            UncertainReason.allCases.map { reason in row(reason.rawValue) { $0.contains(reason) } }
            + [row("any") { !$0.isEmpty }]
        let count = Int((1 / Self.bandWidth).rounded())
        var counts = [Int](repeating: 0, count: count), rights = [Int](repeating: 0, count: count)
        for (confidence, right) in zip(confidences, correct) {
            let band = min(count - 1, max(0, Int(confidence * Double(count))))
            counts[band] += 1
            if right { rights[band] += 1 }
        }
        bands = (0..<count).map { Band(lower: Double($0) / Double(count), count: counts[$0], right: rights[$0]) }
    }

    /// The confidence below which readings are more often wrong than right: the lower edge of the lowest band
    /// from which every band with at least `minimumCount` readings is right at least half the time. A fit for
    /// `quality.min_confidence`; nil when no such band is right half the time, or none has that many readings.
    public func confidenceWhereMostlyRight(minimumCount: Int = minimumBandReadings) -> Double? {
        let measured = bands.filter { $0.count >= minimumCount }
        guard let highestFailing = measured.lastIndex(where: { ($0.accuracy ?? 0) < 0.5 }) else {
            return measured.first?.lower
        }
        let next = measured.index(after: highestFailing)
        return next < measured.endIndex ? measured[next].lower : nil
    }
}
