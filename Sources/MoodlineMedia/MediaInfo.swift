/// The facts about one media file that `moodline probe` prints and `run.json` records.
public struct MediaInfo: Sendable, Equatable, Codable {
    /// FFmpeg's short name for the container, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "png_pipe".
    public var container: String
    /// The video (or image) codec, e.g. "h264", "mjpeg".
    public var codec: String
    /// The stored pixel format, e.g. "yuv420p".
    public var pixelFormat: String
    /// Width as displayed, after rotation.
    public var width: Int
    /// Height as displayed, after rotation.
    public var height: Int
    /// Width as stored in the stream, before rotation.
    public var codedWidth: Int
    /// Height as stored in the stream, before rotation.
    public var codedHeight: Int
    /// Clockwise rotation applied for display (0, 90, 180, 270).
    public var rotationDegrees: Int
    /// Whether the display orientation also mirrors the picture.
    public var mirrored: Bool
    /// Duration in seconds, when known.
    public var durationSeconds: Double?
    /// Average frame rate (frames over duration), when known.
    public var averageFrameRate: Double?
    /// The stream's base ("real") frame rate, when known.
    public var realFrameRate: Double?
    /// Number of frames declared by the container, when known.
    public var frameCount: Int?
    /// Whether the file also has an audio stream.
    public var hasAudio: Bool
    /// Whether this is a still image (a photo, or the first frame of a gif) rather than a video.
    public var isStillImage: Bool
}
