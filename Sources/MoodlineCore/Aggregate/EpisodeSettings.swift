/// How emotion episodes are found on a track's smoothed timeline (`episodes` in a pipeline file).
///
/// An episode starts when an emotion's smoothed probability reaches `enter` and lasts while it stays at or above
/// `exit`. The gap between the two (hysteresis) keeps a reading that wavers around one threshold from being cut
/// into many short episodes.
public struct EpisodeSettings: StageSettings {
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

    public static let keys: [SettingKey<EpisodeSettings>] = [
        .number("enter", \.enterProbability, in: 0...1),
        // The one bound that depends on another key: exit must not exceed enter.
        SettingKey(
            "exit", read: { $0.exitProbability = try $1.number("exit") ?? $0.exitProbability },
            write: { .number($0.exitProbability) },
            check: {
                try $1.check(
                    (0...$0.enterProbability).contains($0.exitProbability), "exit",
                    "between 0 and enter (\($0.enterProbability))", $0.exitProbability)
            }),
        .number(
            "min_duration_s", \.minimumDurationSeconds, in: 0...86_400,
            flag: .init("min-episode", help: "Shortest emotion episode kept, in seconds.")),
    ]
}
