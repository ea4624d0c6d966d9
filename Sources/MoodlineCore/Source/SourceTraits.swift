/// What a kind of input is, as the stages and sinks past planning ask it: they read these, never the input's type,
/// so a new kind of input brings its own answers.
public struct SourceTraits: Sendable, Equatable {
    /// Read as it comes, with no known end (a network stream, standard input): outputs are flushed per frame, tracks
    /// are summarised as they end, observations spill to disk, and a stop finishes the outputs.
    public var isLive: Bool
    /// Can be read a second time from the start (for outputs that decode the input again, like the annotated video).
    public var isReadableTwice: Bool
    /// A set of photos: one frame per file at time 0, the photos pipeline, a `file` column, and a checkpoint per photo.
    public var isPhotoSet: Bool

    public init(isLive: Bool, isReadableTwice: Bool, isPhotoSet: Bool) {
        self.isLive = isLive
        self.isReadableTwice = isReadableTwice
        self.isPhotoSet = isPhotoSet
    }

    /// Frames in time (a video, a stream, an image sequence): anything but a photo set.
    public var isTimed: Bool { !isPhotoSet }
}
