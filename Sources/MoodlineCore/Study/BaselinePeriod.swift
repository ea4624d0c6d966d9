import Foundation

/// The stretch of each video taken as every person's resting face (`--baseline`): a time range (`0:00-0:30`), or
/// the segments of one label (`--baseline rest`, with `--segments`). Readings are then also given relative to each
/// person's own mean over it, since faces differ at rest: a resting face that reads `sad` is the classic false
/// finding, and a change from a person's own baseline is not.
public enum BaselinePeriod: Sendable, Equatable {
    case range(start: Double, end: Double)
    case label(String)

    /// `START-END` (seconds or clock times, START before END) is a range; anything else is a segment label.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 2, let start = DecodeSettings.seconds(fromClock: String(parts[0])),
            let end = DecodeSettings.seconds(fromClock: String(parts[1]))
        {
            guard end > start else { return nil }
            self = .range(start: start, end: end)
        } else {
            self = .label(trimmed)
        }
    }

    /// The stretches it covers, given the input's segments (for a label).
    func ranges(segments: [LabelledRange]) -> [LabelledRange] {
        switch self {
        case .range(let start, let end): [LabelledRange(start: start, end: end, label: "baseline")]
        case .label(let label): segments.filter { $0.label == label }
        }
    }
}

/// Each person's mean over the baseline period: counted as frames go by, like a segment's.
struct BaselineTally {
    private var tally: SegmentTally

    init(_ period: BaselinePeriod, segments: [LabelledRange]) {
        tally = SegmentTally(segments: period.ranges(segments: segments))
    }

    /// The tally for an input's sink when the pipeline has a baseline (its segments read for a label); nil without.
    /// A segments file that cannot be read gives no label's ranges (`segments.csv`'s sink reports why).
    init?(for context: SinkContext) {
        let outputs = context.definition.outputs
        guard let period = outputs.baselinePeriod else { return nil }
        let segments = outputs.segmentsFile(for: context.input.path).flatMap {
            try? RangeFile.read($0, tiers: outputs.segmentTiers)
        }
        self.init(period, segments: segments ?? [])
    }

    mutating func add(time: Double, faces: [SegmentTally.Face]) { tally.add(time: time, faces: faces) }

    /// Each person's readings and mean probabilities over the period (persons without a reading left out).
    func means(person: (Int) -> Int?) -> [Int?: PersonBaseline] {
        var merged: [Int?: SegmentTally.Counts] = [:]
        for index in tally.segments.indices {
            for (key, counts) in tally.countsByPerson(index, person: person) {
                merged[key, default: .init()].add(counts)
            }
        }
        return merged.filter { $0.value.readings > 0 }.mapValues { counts in
            PersonBaseline(readings: counts.readings, means: counts.sums.map { $0 / Double(counts.readings) })
        }
    }
}

/// One person's mean over the baseline period.
struct PersonBaseline {
    let readings: Int
    let means: [Double]

    /// The columns a baseline adds to a table: `baseline_readings`, then each emotion's mean minus the baseline's.
    static let columns = ["baseline_readings"] + Emotion.allCases.map { "\($0.rawValue)_vs_baseline" }

    /// Those columns for a row with `means` (nil: no reading) of a person with `baseline` (nil: none over the
    /// period): the differences are empty where either is missing.
    static func cells(_ means: [Double]?, baseline: PersonBaseline?) -> [String] {
        let readings = String(baseline?.readings ?? 0)
        guard let means, let baseline else { return [readings] + Array(repeating: "", count: Emotion.allCases.count) }
        return [readings]
            + zip(means, baseline.means).map { FixedPoint.format($0 - $1, decimals: Precision.probability) }
    }
}
