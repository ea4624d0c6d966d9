/// One face the embedder read, by where it is: the frame, its time and the face's box in source pixels. A person's
/// representative face in `persons.json` is one.
public struct FaceSighting: Sendable, Equatable {
    public let frameIndex: Int
    public let timeSeconds: Double
    public let box: Box

    public init(frameIndex: Int, timeSeconds: Double, box: Box) {
        self.frameIndex = frameIndex
        self.timeSeconds = timeSeconds
        self.box = box
    }
}
