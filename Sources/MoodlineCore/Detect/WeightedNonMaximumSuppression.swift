/// MediaPipe's weighted non-maximum suppression: the highest-scoring candidate absorbs every candidate that
/// overlaps it by more than the threshold, and the merged face is their score-weighted average (box corners and
/// keypoints), keeping the top score. Steadier boxes than plain suppression on video.
public enum WeightedNonMaximumSuppression {
    /// Merges candidates; the result is ordered by score, highest first.
    ///
    /// Ends whatever its input: every round removes the top candidate (a threshold of 1, or a NaN or zero-area box
    /// that overlaps nothing, not even itself, used to leave it in place for ever), and candidates with a
    /// non-finite score, box or eye are dropped first.
    ///
    /// - Complexity: O(n²) in the number of candidates above the score threshold (tens at most).
    public static func merge(_ candidates: [DetectedFace], iouThreshold: Double) -> [DetectedFace] {
        // Stable order: by score, ties by original position.
        var remaining = candidates.filter(\.isFinite).enumerated().sorted {
            $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset
        }.map(\.element)
        var merged: [DetectedFace] = []
        while let top = remaining.first {
            var cluster: [DetectedFace] = [top]
            var rest: [DetectedFace] = []
            for candidate in remaining.dropFirst() {
                if top.box.intersectionOverUnion(with: candidate.box) > iouThreshold {
                    cluster.append(candidate)
                } else {
                    rest.append(candidate)
                }
            }
            let scoreSum = cluster.reduce(0) { $0 + $1.score }
            // Scores of 0 (or below) would divide by nothing: the cluster is then averaged evenly.
            let weight: (DetectedFace) -> Double =
                scoreSum > 0 ? { $0.score / scoreSum } : { _ in 1 / Double(cluster.count) }
            var x0 = 0.0, y0 = 0.0, x1 = 0.0, y1 = 0.0
            // The top face's landmarks, each averaged over the faces of the cluster that have it.
            var landmarks = top.landmarks.mapValues { _ in Point(x: 0, y: 0) }
            var weights = top.landmarks.mapValues { _ in 0.0 }
            for face in cluster {
                let w = weight(face)
                x0 += w * face.box.x
                y0 += w * face.box.y
                x1 += w * (face.box.x + face.box.width)
                y1 += w * (face.box.y + face.box.height)
                for (name, point) in face.landmarks where landmarks[name] != nil {
                    landmarks[name]!.x += w * point.x
                    landmarks[name]!.y += w * point.y
                    weights[name]! += w
                }
            }
            for (name, point) in landmarks
            where cluster.contains(where: { $0.landmarks[name] == nil }) && weights[name]! > 0 {
                // Only some faces had this landmark: renormalise by their weight.
                landmarks[name] = Point(x: point.x / weights[name]!, y: point.y / weights[name]!)
            }
            merged.append(
                DetectedFace(
                    box: Box(x: x0, y: y0, width: x1 - x0, height: y1 - y0), score: top.score,
                    rightEye: landmarks[.rightEye]!, leftEye: landmarks[.leftEye]!, others: landmarks))
            remaining = rest
        }
        return merged
    }
}
