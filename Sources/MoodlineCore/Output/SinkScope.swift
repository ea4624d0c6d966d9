/// Which inputs an output applies to, told from their traits: each registered output says so, and is made only for
/// those, so a new kind of input gets exactly the outputs its traits allow.
public struct SinkScope: Sendable {
    private let test: @Sendable (SourceTraits) -> Bool

    /// The inputs whose traits pass `test`.
    public init(_ test: @escaping @Sendable (SourceTraits) -> Bool) { self.test = test }

    /// Whether an input of these traits gets the output.
    public func includes(_ traits: SourceTraits) -> Bool { test(traits) }

    /// Every input.
    public static let everyInput = SinkScope { _ in true }
    /// Frames in time: videos, streams, image sequences.
    public static let timed = SinkScope { $0.isTimed }
    /// Live inputs only.
    public static let live = SinkScope { $0.isLive }
    /// Photo sets only.
    public static let photoSets = SinkScope { $0.isPhotoSet }
    /// Frames in time that can be decoded a second time (the annotated video).
    public static let timedAndReadableTwice = SinkScope { $0.isTimed && $0.isReadableTwice }
}
