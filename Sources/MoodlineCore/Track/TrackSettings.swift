/// How faces are linked across sampled frames.
public struct TrackSettings: StageSettings {
    /// Link faces into tracks at all (off for photo collections).
    public var enabled: Bool
    /// The least overlap (IoU) between a track's predicted box and a face for them to be linked.
    public var minimumOverlap: Double
    /// A track ends when it has not been seen for longer than this.
    public var maximumMissingSeconds: Double
    /// Which track is the main subject, marked in every output that lists tracks.
    public var subject: SubjectChoice

    public init(
        enabled: Bool = true, minimumOverlap: Double = 0.2, maximumMissingSeconds: Double = 1.0,
        subject: SubjectChoice = .all
    ) {
        self.enabled = enabled
        self.minimumOverlap = minimumOverlap
        self.maximumMissingSeconds = maximumMissingSeconds
        self.subject = subject
    }

    public static let section = "tracking"

    public static let keys: [SettingKey<TrackSettings>] = [
        .bool(
            "enabled", \.enabled, flag: .init("no-tracking", help: "Do not link faces into tracks."), switchedTo: false),
        .number("min_iou", \.minimumOverlap, in: 0...1),
        .number("max_missing_s", \.maximumMissingSeconds, in: 0...86_400),
        .choice(
            "subject", \.subject,
            flag: .init(
                "subject",
                help:
                    "The main subject, marked in every output and shown first: largest (mean face size), longest (time on screen), center (nearest the middle) or all (none marked)."
            )),
    ]
}
