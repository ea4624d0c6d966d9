import MoodlineMedia

/// A picture's width and height as displayed (after rotation), in pixels.
public struct PictureSize: Sendable, Equatable {
    public let width: Int
    public let height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

extension MediaInfo {
    /// The picture's size as displayed.
    public var pictureSize: PictureSize { PictureSize(width: width, height: height) }
}
