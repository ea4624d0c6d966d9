/// Expected calibration error: how far a classifier's confidence is from how often it is right, averaged over
/// confidence bins weighted by their share of the answers (Guo et al. 2017; 15 equal-width bins).
public enum CalibrationError {
    /// ECE in [0, 1] for answers given with `confidences` (the top probability), `correct` saying which were right.
    public static func expected(confidences: [Double], correct: [Bool], bins: Int = 15) -> Double {
        precondition(confidences.count == correct.count, "one confidence per answer")
        guard !confidences.isEmpty, bins > 0 else { return 0 }
        var count = [Int](repeating: 0, count: bins), confidence = [Double](repeating: 0, count: bins),
            right = [Int](repeating: 0, count: bins)
        for (c, ok) in zip(confidences, correct) {
            // Bins are (low, high]; a confidence of 0 joins the first.
            let bin = min(bins - 1, max(0, Int((c * Double(bins)).rounded(.up)) - 1))
            count[bin] += 1
            confidence[bin] += c
            if ok { right[bin] += 1 }
        }
        var error = 0.0
        for b in 0..<bins where count[b] > 0 {
            let n = Double(count[b])
            error += n / Double(confidences.count) * abs(confidence[b] / n - Double(right[b]) / n)
        }
        return error
    }
}
