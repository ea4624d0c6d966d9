import Foundation

/// Writes `segments.csv`: per segment (a question, an utterance, a stimulus from `--segments`) and person, how much
/// of it showed the person's face and what the face read, with the episodes that overlap it:
///
/// `segment,tier,label,speaker,start_s,end_s,duration_s,person,subject,frames,face_frames,face_coverage,readings,`
/// the seven mean probabilities, `dominant,dominant_probability,valence,arousal`, with `--baseline` also
/// `baseline_readings` and each emotion's `<emotion>_vs_baseline`, then `episodes,note`.
///
/// - `frames`: sampled frames inside the segment; `face_frames`: those with the person's face; `face_coverage` their
///   ratio.
/// - The means are over `readings`, the faces the quality gate kept. They are empty, with a `note`, where there is
///   no reading: a segment without any face gets one row saying `no face` rather than zeros.
/// - The subject (when there is one) has a row in every segment, so a question the participant answered looking
///   away shows as such.
/// - `valence` and `arousal` are derived from the mean probabilities (`AffectCoordinates`), not measured.
/// - `<emotion>_vs_baseline`: the segment's mean minus the person's own mean over the baseline period
///   (`BaselinePeriod`), both from the frames' readings.
final class SegmentsCSVWriter: FrameSink {
    static let columns =
        [
            "segment", "tier", "label", "speaker", "start_s", "end_s", "duration_s", "person", "subject", "frames",
            "face_frames", "face_coverage", "readings",
        ] + Emotion.allCases.map(\.rawValue) + ["dominant", "dominant_probability", "valence", "arousal"]
    /// The header: with the baseline's columns (`PersonBaseline.columns`) before `episodes` and `note` when there is
    /// a baseline.
    static func header(baseline: Bool) -> [String] {
        columns + (baseline ? PersonBaseline.columns : []) + ["episodes", "note"]
    }

    let fileName = "segments.csv"
    private let folder: String
    /// The segments' tallies, or why the segments file could not be read (reported when the input finishes).
    private var tally: Result<SegmentTally, RangeFileError>
    /// Each person's readings over the baseline period, when there is one.
    private var baseline: BaselineTally?

    /// The sink for an input with segments: those in `outputs.segments`, or its sidecar transcript when that is
    /// `auto`. Nil when there are none for this input.
    static func make(context: SinkContext) -> SegmentsCSVWriter? {
        context.definition.outputs.segmentsFile(for: context.input.path).map {
            SegmentsCSVWriter(context: context, path: $0)
        }
    }

    private init(context: SinkContext, path: String) {
        folder = context.folder
        let outputs = context.definition.outputs
        let segments = Result { () throws(RangeFileError) in try RangeFile.read(path, tiers: outputs.segmentTiers) }
        tally = segments.map(SegmentTally.init)
        baseline = outputs.baselinePeriod.map { BaselineTally($0, segments: (try? segments.get()) ?? []) }
    }

    /// An unreadable segments file leaves the other outputs standing, with the problem reported.
    var isOptional: Bool { true }

    func consume(_ tracked: TrackedFrame) throws {
        guard tracked.frame.hasPicture, case .success(var counts) = tally else { return }
        let faces = SegmentTally.faces(of: tracked)
        counts.add(time: tracked.frame.stamp.timeSeconds, faces: faces)
        tally = .success(counts)
        baseline?.add(time: tracked.frame.stamp.timeSeconds, faces: faces)
    }

    func finish(_ event: FinishEvent) throws {
        let counts: SegmentTally
        do {
            counts = try tally.get()
        } catch {
            // An earlier run's table (or regroup's input) would no longer match the persons: leave none.
            unlink((folder as NSString).appendingPathComponent(fileName))
            throw error
        }
        let baselineMeans = baseline?.means { event.person(ofTrack: $0) }
        try WholeFile.write(
            text: Self.contents(counts, baseline: baselineMeans, event: event),
            to: (folder as NSString).appendingPathComponent(fileName))
    }

    func discard() {}

    static func contents(
        _ tally: SegmentTally, baseline: [Int?: PersonBaseline]? = nil, event: FinishEvent
    ) -> String {
        let seconds: (Double) -> String = { FixedPoint.format($0, decimals: Precision.seconds) }
        let probability: (Double) -> String = { FixedPoint.format($0, decimals: Precision.probability) }
        let emptyMeans = [String](repeating: "", count: columns.count - 13)
        let emptyBaseline = baseline == nil ? [] : [String](repeating: "", count: PersonBaseline.columns.count)
        var lines = [header(baseline: baseline != nil).joined(separator: ",")]
        for (index, segment) in tally.segments.enumerated() {
            var byPerson = tally.countsByPerson(index) { event.person(ofTrack: $0) }
            if let subject = event.subject, byPerson[subject] == nil { byPerson[subject] = SegmentTally.Counts() }
            let frames = tally.frames[index]
            let head = [
                String(index + 1), CSVText.field(segment.tier ?? ""), CSVText.field(segment.label),
                CSVText.field(segment.speaker ?? ""), seconds(segment.start), seconds(segment.end),
                seconds(segment.end - segment.start),
            ]
            guard !byPerson.isEmpty else {
                let note = frames == 0 ? "no sampled frame" : "no face"
                let row = head + ["", "", String(frames), "0", "0", "0"] + emptyMeans + emptyBaseline + ["", note]
                lines.append(row.joined(separator: ","))
                continue
            }
            // Persons by number, faces without a person last.
            for person in byPerson.keys.sorted(by: { ($0 ?? Int.max) < ($1 ?? Int.max) }) {
                let entry = byPerson[person]!
                let coverage = frames > 0 ? Double(entry.faceFrames) / Double(frames) : 0
                var row =
                    head + [
                        person.map(String.init) ?? "", person != nil && person == event.subject ? "1" : "0",
                        String(frames), String(entry.faceFrames), probability(coverage), String(entry.readings),
                    ]
                let episodes = event.episodes.filter {
                    person != nil && event.person(ofTrack: $0.trackID) == person
                        && segment.overlaps(start: $0.onsetSeconds, end: $0.offsetSeconds)
                }
                .map { "\($0.emotion.rawValue) \(seconds($0.onsetSeconds))-\(seconds($0.offsetSeconds))" }
                .joined(separator: "; ")
                var note = frames == 0 ? "no sampled frame" : entry.faceFrames == 0 ? "no face" : "no certain reading"
                var means: [Double]?
                if entry.readings > 0 {
                    let mean = entry.sums.map { $0 / Double(entry.readings) }
                    let top = mean.indices.max { mean[$0] < mean[$1] }!
                    row += mean.map(probability)
                    row += [Emotion.allCases[top].rawValue, probability(mean[top])] + AffectCoordinates.cells(mean)
                    means = mean
                    note = ""
                } else {
                    row += emptyMeans
                }
                if let baseline {
                    row += PersonBaseline.cells(means, baseline: baseline[person])
                    if means != nil, baseline[person] == nil { note = "no baseline reading" }
                }
                row += [CSVText.field(episodes), note]
                lines.append(row.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
