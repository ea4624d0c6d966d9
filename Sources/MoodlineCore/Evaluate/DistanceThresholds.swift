/// Face-embedding distances between pairs of faces of known identity, and how well each threshold tells the same
/// person from different people: what `persons.same_person_distance` is chosen on.
public struct DistanceThresholds: Sendable {
    /// One threshold's results over the pairs.
    public struct Row: Sendable, Equatable {
        public let threshold: Double
        /// Share of same-identity pairs closer than the threshold.
        public let sameAccepted: Double
        /// Share of different-identity pairs at or beyond it.
        public let differentRejected: Double
        /// Share of all pairs judged right.
        public let accuracy: Double
    }

    /// Distances of the pairs of one identity, and of two, each sorted.
    public let same: [Double]
    public let different: [Double]

    /// The distances of every pair of `embeddings`, split by whether `identities` (one per embedding) match.
    ///
    /// - Complexity: O(n²) pairs.
    public init<Identity: Equatable>(embeddings: [[Float]], identities: [Identity]) {
        precondition(embeddings.count == identities.count, "one identity per embedding")
        var same: [Double] = [], different: [Double] = []
        for i in embeddings.indices {
            for j in (i + 1)..<embeddings.count {
                let d = Double(FaceDescriptorDistance.euclidean(embeddings[i], embeddings[j]))
                if identities[i] == identities[j] { same.append(d) } else { different.append(d) }
            }
        }
        self.same = same.sorted()
        self.different = different.sorted()
    }

    /// The results at `threshold`: a pair closer than it is judged one person.
    public func row(at threshold: Double) -> Row {
        let accepted = same.filter { $0 < threshold }.count
        let rejected = different.filter { $0 >= threshold }.count
        return Row(
            threshold: threshold, sameAccepted: same.isEmpty ? 1 : Double(accepted) / Double(same.count),
            differentRejected: different.isEmpty ? 1 : Double(rejected) / Double(different.count),
            accuracy: Double(accepted + rejected) / Double(max(1, same.count + different.count)))
    }

    /// The threshold among `candidates` with the best balanced accuracy (the mean of the two shares, so neither
    /// kind of pair outweighs the other by number); the lower on a tie.
    public func best(among candidates: [Double]) -> Row? {
        candidates.map(row(at:)).max {
            ($0.sameAccepted + $0.differentRejected, -$0.threshold) < (
                $1.sameAccepted + $1.differentRejected, -$1.threshold
            )
        }
    }

    /// The `q` quantile (0...1) of sorted `values`, nearest rank; nil when empty.
    public static func quantile(_ values: [Double], _ q: Double) -> Double? {
        guard !values.isEmpty else { return nil }
        return values[min(values.count - 1, max(0, Int((q * Double(values.count - 1)).rounded())))]
    }
}
