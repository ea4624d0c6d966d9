/// Groups face segments into persons: average-linkage agglomerative clustering of their embeddings, which stops
/// when the closest two groups are `threshold` apart or more, and never joins two groups with a member on screen at
/// the same time (one person is in one place at a time; two faces of one photo are two people).
///
/// Average linkage rather than single linkage: a chain of segments each a little like the next (lighting that
/// changes over a long interview) must not join two people through their most similar shots; rather than complete
/// linkage: one blurred segment must not keep a person split. IDs number persons by first appearance.
public struct PersonClustering: Sendable {
    /// The largest mean distance between two groups' embeddings at which they are one person.
    public let threshold: Float

    public init(threshold: Float) {
        self.threshold = threshold
    }

    /// Above this many segments, groups are made in one greedy pass instead (`greedyGroups`): average linkage's
    /// O(n³) time and O(n²) memory would take minutes and hundreds of MB (a days-long stream, cut after cut).
    public static let averageLinkageLimit = 1500

    /// The person ID (from 1, in order of first appearance) of each segment, in the segments' order.
    ///
    /// - Complexity: O(n³) time and O(n²) memory in the number of segments up to `averageLinkageLimit`; beyond it,
    ///   O(n · persons) time and O(persons) memory.
    public func persons(of segments: [FaceSegment]) -> [Int] {
        let n = segments.count
        guard n > 0 else { return [] }
        let group = n > Self.averageLinkageLimit ? greedyGroups(segments) : averageLinkageGroups(segments)
        // Number the groups by their first appearance (start time, then segment order).
        let order = segments.indices.sorted {
            (segments[$0].span.lowerBound, $0) < (segments[$1].span.lowerBound, $1)
        }
        var number: [Int: Int] = [:]
        for s in order where number[group[s]] == nil { number[group[s]] = number.count + 1 }
        return group.map { number[$0]! }
    }

    /// Each segment's group by one greedy pass in time order: a segment joins the group whose mean embedding is
    /// nearest, if nearer than `threshold` and none of the group is on screen after it starts; else it starts one.
    func greedyGroups(_ segments: [FaceSegment]) -> [Int] {
        let order = segments.indices.sorted {
            (segments[$0].span.lowerBound, $0) < (segments[$1].span.lowerBound, $1)
        }
        var sums: [[Float]] = [], counts: [Int] = [], lastEnd: [Double] = []
        var group = [Int](repeating: 0, count: segments.count)
        for s in order {
            let segment = segments[s]
            var best: (index: Int, distance: Float)?
            for g in sums.indices where lastEnd[g] < segment.span.lowerBound {
                let mean = sums[g].map { $0 / Float(counts[g]) }
                let d = FaceDescriptorDistance.euclidean(mean, segment.embedding)
                if d < threshold && d < (best?.distance ?? .infinity) { best = (g, d) }
            }
            if let best {
                for k in sums[best.index].indices { sums[best.index][k] += segment.embedding[k] }
                counts[best.index] += 1
                lastEnd[best.index] = max(lastEnd[best.index], segment.span.upperBound)
                group[s] = best.index
            } else {
                group[s] = sums.count
                sums.append(segment.embedding)
                counts.append(1)
                lastEnd.append(segment.span.upperBound)
            }
        }
        return group
    }

    /// Each segment's group by average linkage, as the type describes, by the index of the group's first member.
    func averageLinkageGroups(_ segments: [FaceSegment]) -> [Int] {
        let n = segments.count
        // Distances and "cannot join" between live groups, updated as groups merge (Lance-Williams for average
        // linkage: the new group's distance to another is the size-weighted mean of its parts' distances).
        var distance = [[Float]](repeating: [Float](repeating: 0, count: n), count: n)
        var conflict = [[Bool]](repeating: [Bool](repeating: false, count: n), count: n)
        for i in 0..<n {
            for j in (i + 1)..<n {
                let d = segments[i].distance(to: segments[j])
                distance[i][j] = d
                distance[j][i] = d
                let c = segments[i].overlaps(segments[j])
                conflict[i][j] = c
                conflict[j][i] = c
            }
        }
        var size = [Int](repeating: 1, count: n)
        var alive = [Bool](repeating: true, count: n)
        var group = Array(0..<n) // each segment's group, by the index of the group's first member
        while true {
            // The closest pair of live groups that may join; ties go to the lower indices, so the result never
            // depends on anything but the input's order.
            var best: (i: Int, j: Int, d: Float)?
            for i in 0..<n where alive[i] {
                for j in (i + 1)..<n where alive[j] && !conflict[i][j] && distance[i][j] < threshold {
                    if best == nil || distance[i][j] < best!.d { best = (i, j, distance[i][j]) }
                }
            }
            guard let (i, j, _) = best else { break }
            for k in 0..<n where alive[k] && k != i && k != j {
                let merged =
                    (Float(size[i]) * distance[i][k] + Float(size[j]) * distance[j][k]) / Float(size[i] + size[j])
                distance[i][k] = merged
                distance[k][i] = merged
                conflict[i][k] = conflict[i][k] || conflict[j][k]
                conflict[k][i] = conflict[i][k]
            }
            size[i] += size[j]
            alive[j] = false
            for s in 0..<n where group[s] == j { group[s] = i }
        }
        return group
    }
}
