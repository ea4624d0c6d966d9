/// Accuracy figures for a classifier over a labelled set: overall and per-class accuracy, macro-F1 and the
/// confusion matrix.
public struct ClassificationReport: Sendable, Equatable, Codable {
    /// Class names, in matrix order.
    public let labels: [String]
    /// `confusion[truth][predicted]` counts.
    public let confusion: [[Int]]

    /// A report from parallel lists of true and predicted class indices.
    public init(labels: [String], truth: [Int], predicted: [Int]) {
        precondition(truth.count == predicted.count, "truth and predictions differ in length")
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: labels.count), count: labels.count)
        for (t, p) in zip(truth, predicted) { matrix[t][p] += 1 }
        self.labels = labels
        self.confusion = matrix
    }

    public var total: Int { confusion.joined().reduce(0, +) }
    private var correct: Int { labels.indices.reduce(0) { $0 + confusion[$1][$1] } }

    /// Share of all items classified correctly.
    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Recall of each class: its correct items over its items (0 for a class with none).
    public var perClassAccuracy: [Double] {
        labels.indices.map { c in
            let count = confusion[c].reduce(0, +)
            return count == 0 ? 0 : Double(confusion[c][c]) / Double(count)
        }
    }

    /// F1 of each class: the harmonic mean of its precision and recall.
    public var perClassF1: [Double] {
        labels.indices.map { c in
            let truePositives = Double(confusion[c][c])
            let predicted = Double(labels.indices.reduce(0) { $0 + confusion[$1][c] })
            let actual = Double(confusion[c].reduce(0, +))
            guard predicted > 0, actual > 0, truePositives > 0 else { return 0 }
            let precision = truePositives / predicted, recall = truePositives / actual
            return 2 * precision * recall / (precision + recall)
        }
    }

    /// The unweighted mean of per-class F1.
    public var macroF1: Double { labels.isEmpty ? 0 : perClassF1.reduce(0, +) / Double(labels.count) }
}
