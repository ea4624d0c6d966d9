/// How well a grouping of items into persons agrees with the true identities, counted over pairs of items: a pair
/// grouped together is right when the two are one identity. Precision is the share of pairs grouped together that
/// are one identity, recall the share of same-identity pairs grouped together; F1 their harmonic mean. The usual
/// measure of face clustering, and the one the persons target is set in.
public struct PairwiseAgreement: Sendable, Equatable {
    public let precision: Double
    public let recall: Double
    public var f1: Double { precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0 }

    /// The agreement of `groups` (one per item) with `identities` (one per item, in the same order). With no pair
    /// grouped together (or none of one identity), the empty share counts as 1.
    ///
    /// - Complexity: O(n) with counting by group and identity.
    public init<Group: Hashable, Identity: Hashable>(groups: [Group], identities: [Identity]) {
        precondition(groups.count == identities.count, "one group and one identity per item")
        func pairs(_ n: Int) -> Int { n * (n - 1) / 2 }
        var byGroup: [Group: Int] = [:], byIdentity: [Identity: Int] = [:]
        var byBoth: [Pair<Group, Identity>: Int] = [:]
        for (group, identity) in zip(groups, identities) {
            byGroup[group, default: 0] += 1
            byIdentity[identity, default: 0] += 1
            byBoth[Pair(group: group, identity: identity), default: 0] += 1
        }
        let together = byGroup.values.reduce(0) { $0 + pairs($1) }
        let same = byIdentity.values.reduce(0) { $0 + pairs($1) }
        let right = byBoth.values.reduce(0) { $0 + pairs($1) }
        precision = together > 0 ? Double(right) / Double(together) : 1
        recall = same > 0 ? Double(right) / Double(same) : 1
    }

    private struct Pair<Group: Hashable, Identity: Hashable>: Hashable {
        let group: Group
        let identity: Identity
    }
}
