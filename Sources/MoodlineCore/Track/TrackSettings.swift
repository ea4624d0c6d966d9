/// How faces are linked across sampled frames.
public struct TrackSettings: Sendable, Equatable, Codable {
    /// Link faces into tracks at all (off for photo collections).
    public var enabled: Bool
    /// The least overlap (IoU) between a track's predicted box and a face for them to be linked.
    public var minimumOverlap: Double
    /// A track ends when it has not been seen for longer than this.
    public var maximumMissingSeconds: Double

    public init(enabled: Bool = true, minimumOverlap: Double = 0.2, maximumMissingSeconds: Double = 1.0) {
        self.enabled = enabled
        self.minimumOverlap = minimumOverlap
        self.maximumMissingSeconds = maximumMissingSeconds
    }
}
