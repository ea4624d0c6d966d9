/// How far apart two face descriptors are, and the distance below which dlib calls them one person.
public enum FaceDescriptorDistance {
    /// dlib's threshold for its ResNet's descriptors: below 0.6 Euclidean, the same person (99.38% accuracy on the
    /// LFW benchmark, as dlib reports it). The descriptors are not normalised; this figure is for them as they are.
    public static let dlibSamePersonThreshold: Float = 0.6

    /// The Euclidean distance between two descriptors of equal length; traps on unequal lengths.
    public static func euclidean(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "descriptors of unequal length: \(a.count) and \(b.count)")
        var sum: Float = 0
        for i in a.indices {
            let d = a[i] - b[i]
            sum += d * d
        }
        return sum.squareRoot()
    }
}
