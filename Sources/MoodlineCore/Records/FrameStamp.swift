/// Where a frame sits in its input, made once when the frame is sampled and carried unchanged by every payload
/// after it: the sampled frame, the analysed frame and the tracked frame the sinks see.
public struct FrameStamp: Sendable, Equatable {
    /// Position among the sampled frames of this input, from 0: the order results are put back in.
    public let sequence: Int
    /// The frame's index in the video, in presentation order (0 for a photo).
    public let index: Int
    /// Presentation time in seconds from the start of the stream (0 for a photo).
    public let timeSeconds: Double
    /// For photo sets: the photo's path relative to its folder.
    public let file: String?
    /// For photo sets: the photo's position in the set's sorted file list.
    public let fileIndex: Int?
    /// For photo sets: the photo's size and capture time.
    public let photo: PhotoFacts?

    public init(
        sequence: Int, index: Int, timeSeconds: Double, file: String? = nil, fileIndex: Int? = nil,
        photo: PhotoFacts? = nil
    ) {
        self.sequence = sequence
        self.index = index
        self.timeSeconds = timeSeconds
        self.file = file
        self.fileIndex = fileIndex
        self.photo = photo
    }
}
