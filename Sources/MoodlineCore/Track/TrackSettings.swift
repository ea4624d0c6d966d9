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
    /// End every track at a shot cut, and list the cuts in `run.json`.
    public var endAtCuts: Bool
    /// The least picture difference (`FrameSignature.difference`, 0 to 2) between two sampled frames that is a cut.
    /// Measured at 5 fps (`ShotCutMediaTests`): at most 0.13 within a shot (fast pan, fast zoom, flash), 0.46 and more
    /// at a cut between two people framed alike; 0.22 within a shot sampled every 2 s.
    public var cutThreshold: Double
    /// How many times the shot's recent median difference a cut must also be, so shaky footage does not cut.
    public var cutRatio: Double
    /// The fastest a face can move, in its own widths per second: a box further from a track's last box than this
    /// allows (plus `jumpAllowanceFaceWidths`, for detector jitter and frames close together) starts a new track.
    public var maximumFaceWidthsPerSecond: Double
    /// The most a face's size can grow or shrink by in a second (a face walking towards the camera): a box larger or
    /// smaller than a track's last box by more than this allows (times `sizeAllowanceRatio`) starts a new track. A
    /// cut from a wide shot to a close-up of the same person looks like a zoom to the cut detector; this ends it.
    public var maximumSizeRatioPerSecond: Double

    /// Face widths a box may always move between two frames, however close together.
    public static let jumpAllowanceFaceWidths = 0.5
    /// The size ratio a box may always change by between two frames (the detector's own jitter is up to 1.13 on the
    /// interview sample at 5 fps).
    public static let sizeAllowanceRatio = 1.25

    public init(
        enabled: Bool = true, minimumOverlap: Double = 0.2, maximumMissingSeconds: Double = 1.0,
        subject: SubjectChoice = .all, endAtCuts: Bool = true, cutThreshold: Double = 0.35, cutRatio: Double = 3,
        maximumFaceWidthsPerSecond: Double = 4, maximumSizeRatioPerSecond: Double = 2
    ) {
        self.enabled = enabled
        self.minimumOverlap = minimumOverlap
        self.maximumMissingSeconds = maximumMissingSeconds
        self.subject = subject
        self.endAtCuts = endAtCuts
        self.cutThreshold = cutThreshold
        self.cutRatio = cutRatio
        self.maximumFaceWidthsPerSecond = maximumFaceWidthsPerSecond
        self.maximumSizeRatioPerSecond = maximumSizeRatioPerSecond
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
        .bool("end_at_cuts", \.endAtCuts),
        .number("cut_threshold", \.cutThreshold, in: 0...2),
        .number("cut_ratio", \.cutRatio, in: 1...100),
        .number("max_face_widths_per_s", \.maximumFaceWidthsPerSecond, in: 0...1000),
        .number("max_size_ratio_per_s", \.maximumSizeRatioPerSecond, in: 1...1000),
    ]
}
