/// How a `MediaReader` decodes.
public struct DecoderOptions: Sendable, Equatable {
    /// The layout frames are delivered in.
    public var layout: PixelLayout
    /// Decoder threads; 0 lets FFmpeg choose.
    public var threads: Int
    /// Ask the decoder to skip everything but key frames (fast key-frame sampling).
    public var keyFramesOnly: Bool
    /// Images larger than this many pixels are refused rather than decoded.
    public var maxPixels: Int
    /// A still picture whose header declares more than this many bytes of decoded pixels is refused before any
    /// decoder runs (a decompression bomb: a small file declaring a huge picture).
    public var maxPictureBytes: Int
    /// Frames whose longer side exceeds this are scaled down (aspect kept) while they are converted, which is
    /// cheaper than converting at full size and keeps buffered frames small; nil keeps the full size.
    public var maximumSide: Int?
    /// Decode only frames at or after this time, in seconds of the source (seeking to the key frame before it);
    /// nil from the beginning.
    public var startSeconds: Double?
    /// Stop before the first frame at or after this time, in seconds of the source; nil to the end.
    public var endSeconds: Double?

    /// When frames are skipped (`decodeFrames(wants:)`), also skip the loop filter on the frames that are decoded
    /// only because others refer to them. Faster, but later frames predicted from them are no longer bit for bit a
    /// full decode's: off unless asked for.
    public var skipsLoopFilterWhenUnsampled: Bool

    /// Decode a photo larger than `maximumSide` at a half, quarter or eighth of its size when that still covers
    /// `maximumSide` (JPEG decoders can), and scale the rest. Much less work; the picture is nearly the same.
    public var decodesPhotosReduced: Bool

    public init(
        layout: PixelLayout = .rgb, threads: Int = 0, keyFramesOnly: Bool = false,
        maxPixels: Int = 200_000_000, maxPictureBytes: Int = 512 << 20, maximumSide: Int? = nil,
        startSeconds: Double? = nil, endSeconds: Double? = nil,
        skipsLoopFilterWhenUnsampled: Bool = false, decodesPhotosReduced: Bool = true
    ) {
        self.decodesPhotosReduced = decodesPhotosReduced
        self.skipsLoopFilterWhenUnsampled = skipsLoopFilterWhenUnsampled
        self.layout = layout
        self.threads = threads
        self.keyFramesOnly = keyFramesOnly
        self.maxPixels = maxPixels
        self.maxPictureBytes = maxPictureBytes
        self.maximumSide = maximumSide
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
    }
}
