/// The `decode` section: at what size frames are analysed, and which part of a video.
public struct DecodeSettings: StageSettings {
    /// Frames whose longer side is larger are scaled down while converted (0: full size); results stay in source
    /// pixels.
    public var maximumSidePixels: Int
    /// Analyse a video from this time on, in seconds of the source (nil: from the start). The reader seeks there
    /// rather than decoding from zero; timestamps stay the source's. Photos ignore it.
    public var startSeconds: Double?
    /// Analyse a video up to (not including) this time, in seconds of the source (nil: to the end).
    public var endSeconds: Double?
    /// Leave undecoded the frames that sampling cannot take and that no other frame refers to (B-frames, mostly).
    /// The sampled frames are bit for bit those of a full decode; off only to compare.
    public var skipsUnsampledFrames: Bool
    /// Also skip the loop (deblocking) filter on frames decoded only because later frames refer to them. Faster,
    /// but the sampled frames predicted from them differ slightly from a full decode's: off by default.
    public var skipsLoopFilterWhenUnsampled: Bool
    /// Analyse at most this many seconds from the start (a live stream's first frame, or `startSeconds`); nil
    /// until the end.
    public var durationSeconds: Double?
    /// A live input with no data for this many seconds counts as stalled and ends, with the problem reported
    /// (HTTP reconnects by itself first); 0 waits for ever.
    public var stallTimeoutSeconds: Double
    /// A network stream whose reading fails (a stall, a dropped connection) is opened again up to this many times
    /// in a row, waiting 1, 2, 4, then 8 seconds between tries; times go on from where they were. 0: never.
    public var reconnectAttempts: Int

    public init(
        maximumSidePixels: Int = 1280, startSeconds: Double? = nil, endSeconds: Double? = nil,
        skipsUnsampledFrames: Bool = true, skipsLoopFilterWhenUnsampled: Bool = false,
        durationSeconds: Double? = nil, stallTimeoutSeconds: Double = 10, reconnectAttempts: Int = 5
    ) {
        self.durationSeconds = durationSeconds
        self.reconnectAttempts = reconnectAttempts
        self.stallTimeoutSeconds = stallTimeoutSeconds
        self.maximumSidePixels = maximumSidePixels
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.skipsUnsampledFrames = skipsUnsampledFrames
        self.skipsLoopFilterWhenUnsampled = skipsLoopFilterWhenUnsampled
    }

    public static let section = "decode"

    public static let keys: [SettingKey<DecodeSettings>] = [
        .integer(
            "max_side", \.maximumSidePixels, rule: "0 (full size) or between 192 and 65536",
            valid: { $0 == 0 || (192...65_536).contains($0) },
            flag: .init(
                "max-side",
                help:
                    "Analyse frames with their longer side at most this many pixels (0: full size); results stay in source pixels."
            )),
        .optionalNumber(
            "start_s", \.startSeconds, rule: "between 0 and 1e9 seconds", valid: { (0...1e9).contains($0) },
            flag: .init(
                "start",
                help:
                    "Analyse a video from this time: seconds (90.5) or [HH:]MM:SS[.fff]. It seeks there; times stay the source's. A part's results go to a folder named for it (clip.90.5s-end, clip.30s-60s), apart from other parts'."
            ),
            parse: clockTime),
        // Checked in `validate`, last, against the start.
        .optionalNumber(
            "end_s", \.endSeconds,
            flag: .init("end", help: "Analyse a video up to this time: seconds or [HH:]MM:SS[.fff]."), parse: clockTime),
        .bool("skip_unsampled", \.skipsUnsampledFrames),
        .bool("skip_loop_filter", \.skipsLoopFilterWhenUnsampled),
        .optionalNumber(
            "duration_s", \.durationSeconds, rule: "more than 0 and at most 1e9 seconds",
            valid: { $0 > 0 && $0 <= 1e9 },
            flag: .init(
                "duration",
                help:
                    "Analyse at most this long (seconds or [HH:]MM:SS[.fff]) from the start: a live stream stops cleanly after it."
            ),
            parse: clockTime),
        .number(
            "stall_timeout_s", \.stallTimeoutSeconds, rule: "between 0 (wait for ever) and 86400 seconds",
            valid: { (0...86_400).contains($0) },
            flag: .init(
                "stall-timeout",
                help: "A live input with no data for this many seconds ends, reported as stalled (0: wait for ever).")),
        .integer(
            "reconnect_attempts", \.reconnectAttempts, rule: "between 0 (never) and 1000",
            valid: { (0...1000).contains($0) },
            flag: .init(
                "reconnect",
                help:
                    "A network stream that stalls or drops is opened again up to this many times in a row (0: never); times go on."
            )),
    ]

    /// Where analysis ends, in seconds of the source: the earlier of `endSeconds` and the start plus
    /// `durationSeconds`.
    public var effectiveEndSeconds: Double? {
        let byDuration = durationSeconds.map { (startSeconds ?? 0) + $0 }
        switch (endSeconds, byDuration) {
        case let (end?, duration?): return min(end, duration)
        case let (end, duration): return end ?? duration
        }
    }

    /// What a video's folder name gains when only part of it is analysed, so runs over different ranges of one
    /// file keep their results apart: `.30s-90s` (from `--start 30 --end 90` or `--duration 60`), `.30s-end`, or
    /// nil for the whole file.
    public var rangeFolderSuffix: String? {
        guard startSeconds != nil || effectiveEndSeconds != nil else { return nil }
        func seconds(_ value: Double) -> String {
            let text = FixedPoint.format(value, decimals: 3)
            let trimmed = text.contains(".") ? String(text.reversed().drop { $0 == "0" }.reversed()) : text
            return (trimmed.hasSuffix(".") ? String(trimmed.dropLast()) : trimmed) + "s"
        }
        return "." + seconds(startSeconds ?? 0) + "-" + (effectiveEndSeconds.map(seconds) ?? "end")
    }

    public func validate(_ rules: SettingRules) throws {
        try checkKeys(rules)
        if let endSeconds {
            try rules.check(
                (0...1e9).contains(endSeconds) && endSeconds > (startSeconds ?? 0), "end_s",
                "after the start (\(startSeconds ?? 0) s) and at most 1e9 seconds", endSeconds)
        }
    }

    /// `90`, `90.5`, `1:30`, `01:02:03.250` as seconds; nil for anything else.
    public static func seconds(fromClock text: String) -> Double? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count) else { return nil }
        var total = 0.0
        for (i, part) in parts.enumerated() {
            let last = i == parts.count - 1
            // Whole hours and minutes below 60 (but the first field may be any size); seconds may have a fraction.
            guard !part.isEmpty, part.allSatisfy({ $0.isASCII && ($0.isNumber || (last && $0 == ".")) }),
                let value = Double(part), value.isFinite
            else { return nil }
            if i > 0 && value >= 60 { return nil }
            total = total * 60 + value
        }
        return total
    }

    private static func clockTime(_ value: String?, flag: String) throws -> Double {
        guard let value, let seconds = seconds(fromClock: value) else {
            throw PipelineError(
                source: "command line", key: nil,
                message: "--\(flag) needs a time in seconds (90.5) or [HH:]MM:SS[.fff] (got \(value ?? "nothing"))",
                flag: flag)
        }
        return seconds
    }
}
