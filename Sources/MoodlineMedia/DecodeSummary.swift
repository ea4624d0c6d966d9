/// What a pass over a file's frames found.
public struct DecodeSummary: Sendable, Equatable {
    /// Frames the decoder produced.
    public var framesDecoded: Int = 0
    /// Frames left undecoded because sampling could not want them and no other frame refers to them.
    public var framesSkipped: Int = 0
    /// Frames that were selected, converted and handed on.
    public var framesDelivered: Int = 0
    /// Damage found on the way (bad packets, an early end); the frames around it were still delivered.
    public var problems: [MediaError] = []
    /// Reading ended on an error or a stall rather than at the end of the input or on request: a live stream's
    /// connection was lost, and may be opened again.
    public var readFailed = false

    public init() {}
}
