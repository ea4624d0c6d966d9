/// MediaPipe's weighted non-maximum suppression: the highest-scoring candidate absorbs every candidate that
/// overlaps it by more than the threshold, and the merged face is their score-weighted average (box corners and
/// keypoints), keeping the top score. Steadier boxes than plain suppression on video.
public enum WeightedNonMaximumSuppression {
    /// Merges candidates; the result is ordered by score, highest first.
    ///
    /// - Complexity: O(n²) in the number of candidates above the score threshold (tens at most).
    public static func merge(_ candidates: [DetectedFace], iouThreshold: Double) -> [DetectedFace] {
        // Stable order: by score, ties by original position.
        var remaining = candidates.enumerated().sorted {
            $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset
        }.map(\.element)
        var merged: [DetectedFace] = []
        while let top = remaining.first {
            var cluster: [DetectedFace] = []
            var rest: [DetectedFace] = []
            for candidate in remaining {
                if top.box.intersectionOverUnion(with: candidate.box) > iouThreshold { cluster.append(candidate) } else { rest.append(candidate) }
            }
            let total = cluster.reduce(0) { $0 + $1.score }
            var x0 = 0.0, y0 = 0.0, x1 = 0.0, y1 = 0.0
            var keypoints = [Point](repeating: Point(x: 0, y: 0), count: top.keypoints.count)
            for face in cluster {
                let w = face.score / total
                x0 += w * face.box.x
                y0 += w * face.box.y
                x1 += w * (face.box.x + face.box.width)
                y1 += w * (face.box.y + face.box.height)
                for k in keypoints.indices {
                    keypoints[k].x += w * face.keypoints[k].x
                    keypoints[k].y += w * face.keypoints[k].y
                }
            }
            merged.append(DetectedFace(box: Box(x: x0, y: y0, width: x1 - x0, height: y1 - y0), score: top.score, keypoints: keypoints))
            remaining = rest
        }
        return merged
    }
}
