import Foundation

/// Human votes per picture, from a CSV with a `path` column and one count column per class: FER+'s layout
/// (`neutral, happiness, surprise, sadness, anger, disgust, fear, contempt, unknown, NF`), or the seven emotion
/// names. Columns for other answers (FER+'s `contempt`, `unknown`, `NF`) count towards the majority, so a picture
/// most annotators called "not a face" has no emotion majority.
public struct VoteTable: Sendable {
    /// One picture's votes.
    public struct Votes: Sendable, Equatable {
        /// Counts for the seven emotions, in `Emotion.allCases` order.
        public let emotions: [Int]
        /// Counts for the other answers, together.
        public let other: Int
        /// Whether the table marks the picture a copy of one in another split (`copy_in_other_split`).
        public let isCopy: Bool

        public init(emotions: [Int], other: Int, isCopy: Bool = false) {
            precondition(emotions.count == Emotion.allCases.count, "one count per emotion")
            self.emotions = emotions
            self.other = other
            self.isCopy = isCopy
        }

        /// FER+'s majority: single votes are dropped (one annotator alone is taken as noise), then an answer
        /// with more than half of the rest; nil when there is none or it is not one of the seven emotions.
        public var majority: Emotion? {
            let kept = emotions.map { $0 > 1 ? $0 : 0 }
            let total = kept.reduce(0, +) + (other > 1 ? other : 0)
            guard total > 0, let best = kept.indices.max(by: { kept[$0] < kept[$1] }), 2 * kept[best] > total else {
                return nil
            }
            return Emotion.allCases[best]
        }

        /// Whether the annotators saw an expression but split on which: no majority, yet the seven emotions have
        /// at least as many of the votes (single votes dropped) as the other answers.
        public var isSplit: Bool {
            let kept = emotions.map { $0 > 1 ? $0 : 0 }.reduce(0, +)
            return majority == nil && kept > 0 && kept >= (other > 1 ? other : 0)
        }

        /// The seven emotions' share of the votes, single votes dropped (all votes where that leaves none); nil
        /// when no annotator named an emotion.
        public var distribution: [Double]? {
            let kept = emotions.map { $0 > 1 ? $0 : 0 }
            let counts = kept.reduce(0, +) > 0 ? kept : emotions
            let total = counts.reduce(0, +)
            return total > 0 ? counts.map { Double($0) / Double(total) } : nil
        }
    }

    /// Votes by the picture's path as the table gives it.
    public let votes: [String: Votes]
    /// Each path's later parts (`angry/x.jpg`, `x.jpg`) to the full path, where only one path ends so.
    private let suffixes: [String: String]

    /// FER+'s column names for the seven emotions.
    static let ferPlusNames: [Emotion: String] = [
        .angry: "anger", .disgust: "disgust", .fear: "fear", .happy: "happiness",
        .sad: "sadness", .surprise: "surprise", .neutral: "neutral",
    ]
    /// FER+'s columns for answers that are not one of the seven emotions.
    static let otherAnswers = ["contempt", "unknown", "NF"]

    /// Reads the table at `path`. Rows whose counts are all empty (pictures nobody voted on) are left out.
    ///
    /// - Throws: `EvaluationError` naming the file (and line) when it cannot be read, lacks `path` or a class
    ///   column, or holds a count that is not a whole number of zero or more.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EvaluationError(message: "\(path): cannot be read")
        }
        try self.init(text: String(decoding: data, as: UTF8.self), name: path)
    }

    /// Reads a table from its text; `name` is what errors call it.
    public init(text: String, name: String) throws {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { throw EvaluationError(message: "\(name): empty") }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard let pathColumn = header.firstIndex(of: "path") else {
            throw EvaluationError(message: "\(name): no 'path' column")
        }
        var emotionColumns: [Int] = []
        for emotion in Emotion.allCases {
            guard
                let column = header.firstIndex(of: emotion.rawValue)
                    ?? header.firstIndex(of: Self.ferPlusNames[emotion]!)
            else {
                throw EvaluationError(
                    message:
                        "\(name): no count column for \(emotion.rawValue) (or FER+'s \(Self.ferPlusNames[emotion]!))")
            }
            emotionColumns.append(column)
        }
        let otherColumns = Self.otherAnswers.compactMap { header.firstIndex(of: $0) }
        let copyColumn = header.firstIndex(of: "copy_in_other_split")
        var votes: [String: Votes] = [:]
        for (number, line) in lines.enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == header.count else {
                throw EvaluationError(
                    message: "\(name) line \(number + 2): \(fields.count) fields, the header has \(header.count)")
            }
            // A row whose counts are all empty is a picture nobody voted on (FER+'s `no_votes`): left out.
            if (emotionColumns + otherColumns).allSatisfy({ fields[$0].trimmingCharacters(in: .whitespaces).isEmpty }) {
                continue
            }
            func count(_ column: Int) throws -> Int {
                guard let value = Int(fields[column].trimmingCharacters(in: .whitespaces)), value >= 0,
                    value < 1_000_000
                else {
                    throw EvaluationError(
                        message: "\(name) line \(number + 2): '\(fields[column])' in \(header[column]) is not a count")
                }
                return value
            }
            votes[fields[pathColumn]] = Votes(
                emotions: try emotionColumns.map(count), other: try otherColumns.map(count).reduce(0, +),
                isCopy: copyColumn.map { fields[$0] == "1" } ?? false)
        }
        self.votes = votes
        var suffixes: [String: String?] = [:]
        for path in votes.keys {
            let parts = path.split(separator: "/")
            for start in 1..<max(parts.count, 1) {
                let suffix = parts[start...].joined(separator: "/")
                suffixes[suffix] = suffixes[suffix] == nil ? path : .some(nil) // a second path ending so: ambiguous
            }
        }
        self.suffixes = suffixes.compactMapValues { $0 }
    }

    /// The votes for a picture whose path, relative to the folder evaluated, is `relativePath` (`angry/x.jpg`):
    /// the row whose path is that, or ends with it, or has its file name, when only one row does.
    public func votes(forRelativePath relativePath: String) -> Votes? {
        if let exact = votes[relativePath] { return exact }
        if let path = suffixes[relativePath] { return votes[path] }
        return suffixes[(relativePath as NSString).lastPathComponent].flatMap { votes[$0] }
    }
}
