/// One stretch of one face, the unit persons are made of: a track segment in a video (from one cut to the next),
/// or one face in a photo set.
public struct FaceSegment: Sendable, Equatable {
    /// The segment's ID among the input's: a track ID in a video, a face's number in a photo set.
    public let id: Int
    /// When the segment is on screen: source seconds in a video; in a photo set the photo's position in the set
    /// (a point), so two faces of one photo overlap and are never one person.
    public let span: ClosedRange<Double>
    /// The face embedding describing the segment: the mean of the embeddings of a few of its sharp frames.
    public let embedding: [Float]
    /// In a photo set, the face's position among its photo's faces (`face` in `frames.csv`); nil for a track.
    public let face: Int?

    public init(id: Int, span: ClosedRange<Double>, embedding: [Float], face: Int? = nil) {
        self.id = id
        self.span = span
        self.embedding = embedding
        self.face = face
    }

    /// Whether the two are on screen at the same time (so cannot be one person).
    public func overlaps(_ other: FaceSegment) -> Bool { span.overlaps(other.span) }

    /// The Euclidean distance between the two embeddings.
    public func distance(to other: FaceSegment) -> Float {
        precondition(embedding.count == other.embedding.count, "embeddings of different sizes")
        var sum: Float = 0
        for i in embedding.indices {
            let d = embedding[i] - other.embedding[i]
            sum += d * d
        }
        return sum.squareRoot()
    }
}
