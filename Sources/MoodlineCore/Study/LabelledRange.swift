/// A labelled stretch of time: a question, an utterance or a stimulus (a segment), or a stretch a human coder
/// labelled with an emotion (a coding). Read from a transcript, an ELAN tier or a CSV (`RangeFile`).
public struct LabelledRange: Sendable, Equatable {
    /// Where it starts and ends, in seconds of the media; `start < end`.
    public let start: Double
    public let end: Double
    /// What it is called: the subtitle's text, the annotation's value, the CSV's `label`.
    public let label: String
    /// Who speaks or is coded, where the file says (a WebVTT voice, an ELAN tier's participant, a CSV `speaker`).
    public let speaker: String?
    /// The ELAN tier it came from, or nil.
    public let tier: String?

    public init(start: Double, end: Double, label: String, speaker: String? = nil, tier: String? = nil) {
        self.start = start
        self.end = end
        self.label = label
        self.speaker = speaker
        self.tier = tier
    }

    /// Whether the moment `time` falls in it: from its start, up to but not including its end.
    public func contains(_ time: Double) -> Bool { time >= start && time < end }

    /// Whether it and `[start, end)` share some time.
    public func overlaps(start: Double, end: Double) -> Bool { self.start < end && start < self.end }
}
