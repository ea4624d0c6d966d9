import MoodlineMedia

/// The one place an input becomes a `FrameSource`. A new kind of input (a stream, a pipe, a camera) is a new
/// `PlannedInput.Kind`, a type conforming to `FrameSource`, and one case here; the runner does not change.
enum FrameSources {
    /// The source for `input`; a photo set starts at `firstPhoto` (after a checkpoint).
    static func make(for input: PlannedInput, options: DecoderOptions, decode: DecodeSettings, firstPhoto: Int,
                     stop: StopRequest) -> any FrameSource {
        switch input.kind {
        case .video(let path): VideoFileSource(path: path, options: options, skipsUnsampledFrames: decode.skipsUnsampledFrames)
        case .photos(let root, let files, _): PhotoSetSource(root: root, files: files, options: options, firstPhoto: firstPhoto)
        case .stream(let address):
            StreamSource(address: address, options: options, decode: decode, stop: stop)
        }
    }
}
