/// Writes the episodes as subtitles a video player shows over the input: `episodes.vtt` (WebVTT) or `episodes.srt`
/// (SubRip). Each cue lists the persons with an episode at that time, e.g. `P1* happy 0.93 · P2 sad 0.61` (the
/// subject first, marked `*`). Where episodes of several persons overlap, the time is cut where any of them starts
/// or ends, so the cues follow each other without overlapping, as SubRip players need.
final class SubtitleWriter: SummarySink {
    enum Format {
        case webVTT, subRip
    }

    let folder: String
    let format: Format
    var fileName: String { format == .webVTT ? "episodes.vtt" : "episodes.srt" }

    init(context: SinkContext, format: Format) {
        folder = context.folder
        self.format = format
    }

    func contents(for event: FinishEvent) throws -> String {
        let cues = Self.cues(event.episodes, subject: event.subject) { event.person(ofTrack: $0) ?? 0 }
        var text = format == .webVTT ? "WEBVTT\n\n" : ""
        for (n, cue) in cues.enumerated() {
            text += "\(n + 1)\n\(timestamp(cue.start)) --> \(timestamp(cue.end))\n\(cue.text)\n\n"
        }
        return text
    }

    /// Non-overlapping cues, in time order, from possibly overlapping episodes, each labelled with its person
    /// (`P2`, starred for the subject).
    static func cues(
        _ episodes: [Episode], subject: Int?, person: (Int) -> Int
    ) -> [(start: Double, end: Double, text: String)] {
        // Times in milliseconds, as both formats write them, so cut points and cue times agree exactly.
        let ms: (Double) -> Int = { Int(($0 * 1000).rounded()) }
        let cuts = Set(episodes.flatMap { [ms($0.onsetSeconds), ms($0.offsetSeconds)] }).sorted()
        var cues: [(start: Double, end: Double, text: String)] = []
        for (start, end) in zip(cuts, cuts.dropFirst()) {
            let active = episodes.filter { ms($0.onsetSeconds) <= start && ms($0.offsetSeconds) >= end }
                .map { (person: person($0.trackID), episode: $0) }
                .sorted { ($0.person == subject ? 0 : 1, $0.person) < ($1.person == subject ? 0 : 1, $1.person) }
            guard !active.isEmpty else { continue }
            let text = active.map {
                "P\($0.person)\($0.person == subject ? "*" : "") \($0.episode.emotion.rawValue) \(FixedPoint.format($0.episode.peakProbability, decimals: 2))"
            }.joined(separator: " · ")
            // Consecutive pieces with the same text are one cue.
            if let last = cues.last, last.text == text, ms(last.end) == start {
                cues[cues.count - 1].end = Double(end) / 1000
            } else {
                cues.append((Double(start) / 1000, Double(end) / 1000, text))
            }
        }
        return cues
    }

    /// `HH:MM:SS.mmm` (WebVTT) or `HH:MM:SS,mmm` (SubRip).
    private func timestamp(_ seconds: Double) -> String {
        let total = Int((seconds * 1000).rounded())
        let (h, m, s, f) = (total / 3_600_000, total / 60_000 % 60, total / 1000 % 60, total % 1000)
        func pad(_ n: Int, _ width: Int) -> String {
            String(repeating: "0", count: max(0, width - String(n).count)) + String(n)
        }
        return "\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2))\(format == .webVTT ? "." : ",")\(pad(f, 3))"
    }
}
