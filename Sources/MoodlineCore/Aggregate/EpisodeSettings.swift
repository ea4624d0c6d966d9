/// How emotion episodes are found on a track's smoothed timeline (`episodes` in a pipeline file).
///
/// An episode starts when an emotion's smoothed probability reaches `enter` and lasts while it stays at or above
/// `exit`. The gap between the two (hysteresis) keeps a reading that wavers around one threshold from being cut
/// into many short episodes.
public struct EpisodeSettings: StageSettings, Codable {
    /// The smoothed probability at which an episode starts. 0.5 by default: the emotion then holds the majority of
    /// the probability, so no two emotions can start at once.
    public var enterProbability: Double
    /// The smoothed probability below which it ends. 0.35 by default: well under `enter`, so that the dips of a
    /// smoothed reading do not end it, yet above the 1/7 of a reading that says nothing.
    public var exitProbability: Double
    /// Episodes shorter than this, in seconds, are dropped. 0.5 s by default: posed and spontaneous expressions
    /// last from about half a second to several seconds; shorter runs on a smoothed timeline are mostly noise.
    public var minimumDurationSeconds: Double

    public init(enterProbability: Double = 0.5, exitProbability: Double = 0.35, minimumDurationSeconds: Double = 0.5) {
        self.enterProbability = enterProbability
        self.exitProbability = exitProbability
        self.minimumDurationSeconds = minimumDurationSeconds
    }

    public static let section = "episodes"

    public mutating func read(_ section: PipelineSection) throws {
        enterProbability = try section.number("enter") ?? enterProbability
        exitProbability = try section.number("exit") ?? exitProbability
        minimumDurationSeconds = try section.number("min_duration_s") ?? minimumDurationSeconds
    }

    public var json: [String: Any] { ["enter": enterProbability, "exit": exitProbability, "min_duration_s": minimumDurationSeconds] }

    public func validate(_ rules: SettingRules) throws {
        try rules.check((0...1).contains(enterProbability), "enter", "between 0 and 1", enterProbability)
        try rules.check((0...enterProbability).contains(exitProbability), "exit", "between 0 and enter (\(enterProbability))", exitProbability)
        try rules.check((0...86_400).contains(minimumDurationSeconds), "min_duration_s", "between 0 and 86400", minimumDurationSeconds)
    }

    public static let flags: [SettingFlag<EpisodeSettings>] = [
        SettingFlag("min-episode", key: "min_duration_s", help: "Shortest emotion episode kept, in seconds.") {
            $0.minimumDurationSeconds = try SettingFlag<EpisodeSettings>.number($1, flag: "min-episode")
        },
    ]
}
