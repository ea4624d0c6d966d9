/// Writes `seconds.csv`: per person and per whole second, the number of readings, the mean of their smoothed
/// probabilities, the dominant emotion and how much of the second was analysed
/// (`person,track,subject,second,readings,angry,...,neutral,dominant,duration_s,valence,arousal`); `track` is the
/// person's track with the most readings in the second (empty in a second without one). `valence` and `arousal` are
/// derived from the mean probabilities (`AffectCoordinates`). With `--baseline`, each row ends with the person's
/// `baseline_readings` and each emotion's mean minus the person's mean over the baseline (`PersonBaseline`).
///
/// The main subject has a row for every second analysed (a sampled frame in it), so their rows are a regular
/// series that pandas can plot or resample as they are; every other person has a row for every second analysed from
/// their first reading to their last (a crowd's hundreds of short tracks would otherwise each fill the whole input). A
/// second without a reading has `readings` 0 and empty probabilities. Seconds without a sampled frame (a jump in the
/// timestamps, sampling sparser than one a second) were not looked at and have no row, which also bounds the rows by
/// the frames. A second the span covers only in part (the last one of a 600.12 s file) has `duration_s` below 1, so
/// a resample to minutes can weight by it or leave it out. A subject's second is one row however many of its tracks
/// it holds.
final class SecondsCSVWriter: SummarySink {
    // New columns come last so that the columns of earlier versions keep their places.
    static let columns =
        ["person", "track", "subject", "second", "readings"] + Emotion.allCases.map(\.rawValue) + [
            "dominant", "duration_s", "valence", "arousal",
        ]
    let folder: String
    var fileName: String { "seconds.csv" }
    private let decode: DecodeSettings
    private let sampling: SamplingMode
    private let isLive: Bool
    /// The first and last sampled frames' times: frames without faces count too, since they were analysed.
    private var firstFrame: Double?, lastFrame: Double?
    /// The whole seconds with a sampled frame, in time order (a live stream's for days: one Int a second).
    private var analysedSeconds: [Int] = []
    /// Each person's readings over the baseline period, when there is one.
    private var baseline: BaselineTally?

    init(context: SinkContext) {
        folder = context.folder
        decode = context.definition.decode
        sampling = context.definition.sampling
        isLive = context.input.traits.isLive
        baseline = BaselineTally(for: context)
    }

    func consume(_ frame: TrackedFrame) throws {
        if firstFrame == nil { firstFrame = frame.frame.stamp.timeSeconds }
        lastFrame = frame.frame.stamp.timeSeconds
        let second = SecondBin.second(of: frame.frame.stamp.timeSeconds)
        if second > analysedSeconds.last ?? .min { analysedSeconds.append(second) }
        if frame.frame.hasPicture {
            baseline?.add(time: frame.frame.stamp.timeSeconds, faces: SegmentTally.faces(of: frame))
        }
    }

    func contents(for event: FinishEvent) throws -> String {
        let media = event.outcome.media
        let span = AnalysedSpan(
            decode: decode, durationSeconds: media?.durationSeconds, isLive: isLive, firstFrame: firstFrame,
            lastFrame: lastFrame, stepSeconds: Self.stepSeconds(sampling, frameRate: media?.averageFrameRate))
        let baselines = baseline?.means { event.person(ofTrack: $0) }
        var lines = [(Self.columns + (baselines == nil ? [] : PersonBaseline.columns)).joined(separator: ",")]
        let byID = Dictionary(uniqueKeysWithValues: event.tracks.map { ($0.id, $0) })
        for person in event.persons.persons {
            let tracks = person.tracks.compactMap { byID[$0] }
            lines += Self.rows(
                of: tracks, person: person.id, subject: person.id == event.subject ? "1" : "0", span: span,
                analysedSeconds: analysedSeconds, wholeSpan: person.id == event.subject,
                baseline: baselines.map { $0[person.id] })
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The longest time between two sampled frames, as far as the sampling and the frame rate tell (1 s otherwise).
    static func stepSeconds(_ sampling: SamplingMode, frameRate: Double?) -> Double {
        let step: Double?
        switch sampling {
        case .rate(let fps): step = 1 / fps
        case .everyFrame: step = frameRate.map { 1 / $0 }
        case .everyNth(let n): step = frameRate.map { Double(n) / $0 }
        case .keyFrames: step = nil
        }
        // A frame rate read from the file may be absurd.
        guard let step, step.isFinite, step > 0 else { return 1 }
        return min(step, 10)
    }

    /// One row per second for the readings of `tracks` (one person's): every second of `analysedSeconds` (sorted)
    /// when `wholeSpan`, else those from their first reading to their last; and every second a reading falls in.
    /// With `baseline` (the person's, or `.some(nil)` for a person with no reading over the period), the rows end
    /// with the baseline's columns (`PersonBaseline`).
    static func rows(
        of tracks: [TrackSummary], person: Int, subject: String, span: AnalysedSpan, analysedSeconds: [Int],
        wholeSpan: Bool, baseline: PersonBaseline?? = nil
    ) -> [String] {
        // Each track's bins, added into the person's; the track with the most readings leads each second (the
        // earlier one on a tie).
        var bins: [Int: SecondBin] = [:]
        var leadingTrack: [Int: (track: Int, readings: Int)] = [:]
        for track in tracks {
            for (second, bin) in SecondBin.bins(of: [track]) {
                bins[second, default: SecondBin(second: second)].add(bin)
                if let known = leadingTrack[second], known.readings >= bin.readings { continue }
                leadingTrack[second] = (track.id, bin.readings)
            }
        }
        guard let firstRead = bins.keys.min(), let lastRead = bins.keys.max() else { return [] }
        let kept = wholeSpan ? analysedSeconds : analysedSeconds.filter { (firstRead...lastRead).contains($0) }
        return Set(kept).union(bins.keys).sorted().map { second in
            let bin = bins[second] ?? SecondBin(second: second)
            let mean = bin.mean
            let probabilities =
                mean.map { $0.probabilities.map { FixedPoint.format($0, decimals: Precision.probability) } }
                ?? Array(repeating: "", count: Emotion.allCases.count)
            let fields =
                [
                    "\(person)", leadingTrack[second].map { "\($0.track)" } ?? "", subject, "\(second)",
                    "\(bin.readings)",
                ]
                + probabilities
                + [
                    mean?.label.rawValue ?? "",
                    FixedPoint.format(span.durationSeconds(of: second), decimals: Precision.seconds),
                ] + AffectCoordinates.cells(mean?.probabilities)
                + (baseline.map { PersonBaseline.cells(mean?.probabilities.map(Double.init), baseline: $0) } ?? [])
            return fields.joined(separator: ",")
        }
    }
}
