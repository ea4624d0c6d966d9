import MoodlineMedia

/// What a frame source is made with.
public struct FrameSourceSetup: Sendable {
    public var options: DecoderOptions
    public var decode: DecodeSettings
    /// For a photo set resumed from a checkpoint: the first photo still to do.
    public var firstPhoto: Int
    /// Asked while a live read waits.
    public var stop: StopRequest
}
