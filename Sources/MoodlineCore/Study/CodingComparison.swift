/// The tool's readings of one person set against one or two human codings of the same video, frame by frame at
/// the frames the tool sampled: the frames both labelled make `Agreement.Pair`s.
public struct CodingComparison: Sendable {
    /// One human coder's ranges, by the name reports give it (the file, or its ELAN tier).
    public struct Coder: Sendable {
        public let name: String
        public let ranges: [LabelledRange]

        public init(name: String, ranges: [LabelledRange]) {
            self.name = name
            self.ranges = ranges
        }
    }

    /// What one coder's labels came to at the sampled frames.
    public struct CoderCoverage: Sendable, Equatable {
        public let name: String
        /// Sampled frames inside one of the coder's ranges.
        public let framesCoded: Int
        /// Labels that name none of the seven emotions (after the map), with their frames: left out of the
        /// comparison.
        public let labelsOutsideTheSeven: [String: Int]
    }

    public let person: Int
    /// Sampled frames in the results.
    public let frames: Int
    /// Frames with a reading of the person (a certain one unless uncertain ones were included).
    public let framesRead: Int
    public let coders: [CoderCoverage]
    /// The tool against each coder, the coder as the reference.
    public let toolAgainstCoders: [Agreement]
    /// The first coder as the reference against the second, when there are two: the human ceiling.
    public let codersAgainstEachOther: Agreement?

    /// Compares person `person`'s readings in `results` with `coders` (one or two), labels read through `map`.
    public init(
        results: ResultFrames, person: Int, coders: [Coder], map: EmotionLabelMap, includeUncertain: Bool = false,
        binSeconds: Double = 60, blockSeconds: Double = 10
    ) {
        precondition((1...2).contains(coders.count), "one or two coders")
        self.person = person
        frames = results.frames.count
        let readings: [Emotion?] = results.frames.map { frame in
            frame.faces.first { $0.person == person && (includeUncertain || !$0.isUncertain) }?.emotion
        }
        framesRead = readings.compactMap { $0 }.count
        var coverage: [CoderCoverage] = []
        var codes: [[Emotion?]] = []
        for coder in coders {
            var coded = 0
            var outside: [String: Int] = [:]
            var labels: [Emotion?] = []
            var active = RangeCursor(coder.ranges)
            for frame in results.frames {
                guard let range = active.range(at: frame.time) else {
                    labels.append(nil)
                    continue
                }
                coded += 1
                let emotion = map.emotion(range.label)
                if emotion == nil { outside[range.label, default: 0] += 1 }
                labels.append(emotion)
            }
            coverage.append(CoderCoverage(name: coder.name, framesCoded: coded, labelsOutsideTheSeven: outside))
            codes.append(labels)
        }
        self.coders = coverage
        let times = results.frames.map(\.time)
        func pairs(_ reference: [Emotion?], _ rated: [Emotion?]) -> [Agreement.Pair] {
            times.indices.compactMap { i in
                guard let r = reference[i], let t = rated[i] else { return nil }
                return Agreement.Pair(time: times[i], reference: r, rated: t)
            }
        }
        toolAgainstCoders = codes.map {
            Agreement(pairs: pairs($0, readings), binSeconds: binSeconds, blockSeconds: blockSeconds)
        }
        codersAgainstEachOther =
            codes.count == 2
            ? Agreement(pairs: pairs(codes[0], codes[1]), binSeconds: binSeconds, blockSeconds: blockSeconds) : nil
    }
}
