import Foundation
import MoodlineMedia

/// A video file (or a single picture FFmpeg reads as one): read twice if need be, fingerprinted by its content.
public struct VideoFileInput: InputSource, Equatable {
    public let path: String

    public var traits: SourceTraits { SourceTraits(isLive: false, isReadableTwice: true, isPhotoSet: false) }

    public func makeFrameSource(_ setup: FrameSourceSetup) -> any FrameSource {
        VideoFileSource(path: path, options: setup.options, skipsUnsampledFrames: setup.decode.skipsUnsampledFrames)
    }

    public func fingerprint() -> InputFingerprint? { InputFingerprint.file(path).map(InputFingerprint.init(text:)) }

    public func manifestFacts(sizeBytes: Int?) -> InputFacts {
        // A file that could not be opened still has a size on disk.
        var status = stat()
        let onDisk = sizeBytes ?? (stat(path, &status) == 0 ? Int(status.st_size) : nil)
        return InputFacts(kind: "video", sizeBytes: onDisk, includesMedia: true)
    }

    public func openAgain(_ options: DecoderOptions) throws -> MediaReader {
        try MediaReader(path: path, options: options)
    }
}

extension InputSource where Self == VideoFileInput {
    /// A video file at `path`.
    public static func video(path: String) -> VideoFileInput { VideoFileInput(path: path) }
}
