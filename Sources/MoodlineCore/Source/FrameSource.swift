import MoodlineMedia

/// Anything that yields upright, timestamped frames, and can end or fail: a video file, a photo set, and next a
/// stream, a pipe or a camera.
///
/// The decode stage drives any source the same way: `open`, then `frames`, asking the sampler about each frame's
/// timing before its pixels are made. Nothing downstream assumes that the number of frames or the duration is
/// known: `expectedFrames` may be nil, and the source may end at any time. A new kind of input is one conforming
/// type, chosen in `FrameSources.make`.
public protocol FrameSource {
    /// Opens the input.
    ///
    /// - Throws: `MediaError` (or another error) when nothing can be read; the input then fails.
    mutating func open() throws -> SourceFacts

    /// How many frames `sampling` should yield, when the source can tell (nil for a live stream).
    func expectedFrames(_ sampling: SamplingMode) -> Int?

    /// Yields the frames in order. The sampler sees each frame's timing before its pixels are made, and says
    /// whether to sample it (a photo set yields every photo whatever it says); a video source may also ask it, from
    /// a packet's timing, whether a frame can be left undecoded. `deliver` takes each item and returns false to end
    /// early. Damage that does not end the source (a bad packet, an unreadable photo) is reported in the item or in
    /// the end's problems.
    mutating func frames(sampler: inout FrameSampler, deliver: (SourceItem) -> Bool) -> SourceEnd
}

/// What a source knows once open.
public struct SourceFacts: Sendable {
    /// The media's facts, for a single stream.
    public var media: MediaInfo?
    /// The input's size on disk, when it has one.
    public var sizeBytes: Int?

    public init(media: MediaInfo? = nil, sizeBytes: Int? = nil) {
        self.media = media
        self.sizeBytes = sizeBytes
    }
}

/// One frame from a source, not yet stamped with its place among the sampled frames.
public struct SourceItem: Sendable {
    /// Index and time in the input.
    public let timing: FrameTiming
    /// The upright picture; nil when this item stands for a photo that could not be read.
    public let pixels: PixelBuffer?
    /// Source pixels per delivered pixel.
    public let scaleToSource: Double
    /// For photo sets: the photo's name (relative to its folder) and position in the set.
    public let file: String?
    public let fileIndex: Int?
    /// For photo sets: the photo's size and capture time (nil when it could not be opened).
    public var photo: PhotoFacts? = nil
    /// Frames the decoder produced for this item (photo sets count per photo).
    public let framesDecoded: Int
    /// What went wrong with this item.
    public let problems: [InputProblem]
}

/// How a source's frames ended.
public struct SourceEnd: Sendable {
    /// Frames the decoder produced, in all.
    public var framesDecoded = 0
    /// Frames left undecoded because sampling could not take them and no other frame refers to them.
    public var framesSkipped = 0
    /// Damage found on the way; the frames around it were still delivered.
    public var problems: [InputProblem] = []
    /// Reading ended on an error or a stall (a lost connection), not at the end or on request.
    public var readFailed = false

    public init(framesDecoded: Int = 0, problems: [InputProblem] = []) {
        self.framesDecoded = framesDecoded
        self.problems = problems
    }
}
