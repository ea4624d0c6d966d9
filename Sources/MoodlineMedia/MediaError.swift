/// Something went wrong opening or decoding a media file. Every case names the file.
public struct MediaError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of failure this is, for callers that react differently to each.
    public enum Code: String, Sendable, Codable {
        /// The path does not exist.
        case fileNotFound = "file_not_found"
        /// The path exists but is empty.
        case emptyFile = "empty_file"
        /// The path is a folder, a device or something else that is not a regular file.
        case notAFile = "not_a_file"
        /// FFmpeg could not recognise the content as any media format.
        case unrecognisedFormat = "unrecognised_format"
        /// The file has no video stream or image.
        case noVideoStream = "no_video_stream"
        /// No decoder for the stream's codec is available.
        case unsupportedCodec = "unsupported_codec"
        /// The image is too large to decode safely.
        case imageTooLarge = "image_too_large"
        /// The stream is damaged or ends early; frames before the damage were delivered.
        case damagedStream = "damaged_stream"
        /// A photo's file is damaged or cut short; the part that could be decoded was analysed (a warning: the
        /// photo has results).
        case damagedPicture = "damaged_picture"
        /// Any other FFmpeg failure.
        case ffmpeg = "ffmpeg"
    }

    public let code: Code
    /// The file the failure concerns.
    public let path: String
    /// The FFmpeg function that failed, when there was one.
    public let function: String?
    /// What went wrong, and where useful, what to do about it.
    public let message: String
    /// The frame index the failure concerns, when it concerns one.
    public let frameIndex: Int?

    public init(code: Code, path: String, function: String? = nil, message: String, frameIndex: Int? = nil) {
        self.code = code
        self.path = path
        self.function = function
        self.message = message
        self.frameIndex = frameIndex
    }

    public var description: String {
        var text = "\(path): \(message)"
        if let frameIndex { text += " (frame \(frameIndex))" }
        if let function { text += " [\(function)]" }
        return text
    }
}
