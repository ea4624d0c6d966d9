import Foundation

/// How a classifier's readings agree with the whole spread of human votes, beyond the majority: the
/// cross-entropy of its probabilities against the vote distribution (lower is closer; the votes' own entropy is
/// the floor), and how often its top class is one that at least one annotator chose.
public struct VoteAgreement: Sendable, Equatable {
    /// Mean cross-entropy, in nats, of the predicted probabilities against the normalised votes.
    public let crossEntropy: Double
    /// The votes' own mean entropy: the cross-entropy a classifier that matched them exactly would have.
    public let voteEntropy: Double
    /// The share of pictures whose predicted class got at least one vote.
    public let topClassVotedFor: Double
    /// Pictures measured.
    public let count: Int

    /// - Parameters:
    ///   - probabilities: per picture, the seven probabilities in `Emotion.allCases` order.
    ///   - votes: per picture, its votes.
    public init(probabilities: [[Double]], votes: [VoteTable.Votes]) {
        precondition(probabilities.count == votes.count, "one set of votes per reading")
        var crossEntropy = 0.0, entropy = 0.0, votedFor = 0, count = 0
        for (p, v) in zip(probabilities, votes) {
            guard let target = v.distribution else { continue }
            count += 1
            for (q, t) in zip(p, target) where t > 0 {
                // Probabilities are clamped away from 0: one confident miss must not make the mean infinite.
                crossEntropy -= t * log(max(q, 1e-7))
                entropy -= t * log(t)
            }
            let top = p.indices.max { p[$0] < p[$1] } ?? 0
            if v.emotions[top] > 0 { votedFor += 1 }
        }
        let n = Double(max(count, 1))
        self.crossEntropy = crossEntropy / n
        voteEntropy = entropy / n
        topClassVotedFor = Double(votedFor) / n
        self.count = count
    }
}
