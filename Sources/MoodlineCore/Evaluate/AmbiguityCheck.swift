import Foundation

/// How well the quality gate's `ambiguous` reason finds the faces people disagree on: of the readings it marks,
/// how many humans split on (precision), and of the pictures humans split on, how many it marks (recall).
public struct AmbiguityCheck: Sendable, Equatable {
    /// The spread above which a reading is marked (`quality.max_spread`).
    public let threshold: Double
    /// Readings marked ambiguous.
    public let marked: Int
    /// Marked readings of pictures the annotators split on.
    public let markedSplit: Int
    /// Pictures the annotators split on.
    public let split: Int
    /// Pictures measured.
    public let count: Int

    /// - Parameters:
    ///   - spreads: per picture, its reading's spread (`EmotionScores.spread`).
    ///   - split: per picture, whether the annotators split on it (`VoteTable.Votes.isSplit`).
    public init(spreads: [Double], split: [Bool], threshold: Double) {
        precondition(spreads.count == split.count, "one verdict per reading")
        self.threshold = threshold
        let marks = spreads.map { $0 > threshold }
        marked = marks.filter { $0 }.count
        markedSplit = zip(marks, split).filter { $0 && $1 }.count
        self.split = split.filter { $0 }.count
        count = spreads.count
    }

    /// The share of marked readings that humans split on (nil when none is marked).
    public var precision: Double? { marked > 0 ? Double(markedSplit) / Double(marked) : nil }
    /// The share of split pictures that are marked (nil when there are none).
    public var recall: Double? { split > 0 ? Double(markedSplit) / Double(split) : nil }
    /// The share of all readings marked.
    public var markedShare: Double { Double(marked) / Double(max(count, 1)) }
    /// What marking at random would reach: the share of pictures humans split on.
    public var baseRate: Double { Double(split) / Double(max(count, 1)) }
}
