/// What the sampled frames inside each segment show, per person: counted as frames go by (in time order), so the
/// memory it needs grows with segments and persons, not with the length of the video. `SegmentsCSVWriter` fills
/// it from the analysis; its rows are what `segments.csv` holds.
public struct SegmentTally: Sendable {
    /// One face in a frame: the key its person will be known by (a track ID), its probabilities, and whether the
    /// quality gate marked it uncertain.
    public struct Face: Sendable {
        public let key: Int?
        public let probabilities: [Float]
        public let isUncertain: Bool

        public init(key: Int?, probabilities: [Float], isUncertain: Bool) {
            self.key = key
            self.probabilities = probabilities
            self.isUncertain = isUncertain
        }
    }

    /// A person's (or a key's) counts in one segment.
    struct Counts: Sendable {
        /// Sampled frames with the person's face, certain or not.
        var faceFrames = 0
        /// Faces the gate kept: the ones the means are taken over.
        var readings = 0
        var sums = [Double](repeating: 0, count: Emotion.allCases.count)

        mutating func add(_ other: Counts) {
            faceFrames += other.faceFrames
            readings += other.readings
            for i in sums.indices { sums[i] += other.sums[i] }
        }
    }

    /// The faces of a frame as the tallies take them: each with the key its person will be known by.
    static func faces(of tracked: TrackedFrame) -> [Face] {
        tracked.frame.faces.enumerated().map { i, face in
            Face(
                key: tracked.personKeys[i], probabilities: face.scores.probabilities,
                isUncertain: face.quality.isUncertain)
        }
    }

    public let segments: [LabelledRange]
    /// Sampled frames inside each segment.
    private(set) var frames: [Int]
    /// Each segment's counts by key.
    private(set) var counts: [[Int?: Counts]]
    /// Which segments hold each frame's time.
    private var cursor: RangeCursor

    /// Tallies for `segments`, sorted by start (as `RangeFile.read` gives them).
    public init(segments: [LabelledRange]) {
        self.segments = segments
        frames = Array(repeating: 0, count: segments.count)
        counts = Array(repeating: [:], count: segments.count)
        cursor = RangeCursor(segments)
    }

    /// Counts the frame at `time` with its faces in every segment it falls in.
    public mutating func add(time: Double, faces: [Face]) {
        for s in cursor.indices(at: time) {
            frames[s] += 1
            // A key counts once per frame towards coverage, whatever its faces.
            var seen: Set<Int?> = []
            for face in faces {
                var entry = counts[s][face.key, default: Counts()]
                if seen.insert(face.key).inserted { entry.faceFrames += 1 }
                if !face.isUncertain {
                    entry.readings += 1
                    for (i, p) in face.probabilities.enumerated() { entry.sums[i] += Double(p) }
                }
                counts[s][face.key] = entry
            }
        }
    }

    /// Segment `index`'s counts by person, keys merged by `person`. Faces without a key (tracking off) count
    /// together under nil; a key that became no person (a track whose readings were all uncertain) is left out, so
    /// no row adds up faces of different people.
    func countsByPerson(_ index: Int, person: (Int) -> Int?) -> [Int?: Counts] {
        var merged: [Int?: Counts] = [:]
        for (key, entry) in counts[index] {
            if let key {
                guard let id = person(key) else { continue }
                merged[id, default: Counts()].add(entry)
            } else {
                merged[nil, default: Counts()].add(entry)
            }
        }
        return merged
    }
}
