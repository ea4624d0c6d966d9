/// What a photo of a set says about itself: its size as displayed (upright, in the pixels its boxes are given in)
/// and, where its EXIF records it, when it was taken.
public struct PhotoFacts: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// ISO 8601 local time, with the offset from UTC where the camera recorded one.
    public let takenAt: String?

    public init(width: Int, height: Int, takenAt: String? = nil) {
        self.width = width
        self.height = height
        self.takenAt = takenAt
    }
}
