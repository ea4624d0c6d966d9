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
    /// Frames whose longer side exceeds this are scaled down (aspect kept) while they are converted, which is
    /// cheaper than converting at full size and keeps buffered frames small; nil keeps the full size.
    public var maximumSide: Int?

    public init(layout: PixelLayout = .rgb, threads: Int = 0, keyFramesOnly: Bool = false,
                maxPixels: Int = 200_000_000, maximumSide: Int? = nil) {
        self.layout = layout
        self.threads = threads
        self.keyFramesOnly = keyFramesOnly
        self.maxPixels = maxPixels
        self.maximumSide = maximumSide
    }
}
