/// How faces are linked across sampled frames.
public struct TrackSettings: StageSettings, Codable {
    /// Link faces into tracks at all (off for photo collections).
    public var enabled: Bool
    /// The least overlap (IoU) between a track's predicted box and a face for them to be linked.
    public var minimumOverlap: Double
    /// A track ends when it has not been seen for longer than this.
    public var maximumMissingSeconds: Double
    /// Which track is the main subject, marked in every output that lists tracks.
    public var subject: SubjectChoice

    public init(enabled: Bool = true, minimumOverlap: Double = 0.2, maximumMissingSeconds: Double = 1.0, subject: SubjectChoice = .all) {
        self.enabled = enabled
        self.minimumOverlap = minimumOverlap
        self.maximumMissingSeconds = maximumMissingSeconds
        self.subject = subject
    }

    public static let section = "tracking"

    public mutating func read(_ section: PipelineSection) throws {
        enabled = try section.bool("enabled") ?? enabled
        minimumOverlap = try section.number("min_iou") ?? minimumOverlap
        maximumMissingSeconds = try section.number("max_missing_s") ?? maximumMissingSeconds
        subject = try section.choice("subject") ?? subject
    }

    public var json: [String: Any] {
        ["enabled": enabled, "min_iou": minimumOverlap, "max_missing_s": maximumMissingSeconds, "subject": subject.rawValue]
    }

    public func validate(_ rules: SettingRules) throws {
        try rules.check((0...1).contains(minimumOverlap), "min_iou", "between 0 and 1", minimumOverlap)
        try rules.check((0...86_400).contains(maximumMissingSeconds), "max_missing_s", "between 0 and 86400", maximumMissingSeconds)
    }

    public static let flags: [SettingFlag<TrackSettings>] = [
        SettingFlag("no-tracking", key: "enabled", help: "Do not link faces into tracks.", isSwitch: true) { settings, _ in settings.enabled = false },
        SettingFlag("subject", key: "subject",
                    help: "The main subject, marked in every output and shown first: largest (mean face size), longest (time on screen), center (nearest the middle) or all (none marked).") {
            $0.subject = try SettingFlag<TrackSettings>.choice($1, flag: "subject")
        },
    ]
}
