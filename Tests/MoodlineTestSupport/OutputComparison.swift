import Foundation

/// Compares an output file with a reference made on another machine: the structure and the text exactly, numbers
/// within a stated tolerance.
///
/// OpenBLAS picks a kernel per CPU (`OPENBLAS_CORETYPE`), and kernels sum in different orders, so a probability
/// printed with four decimals can move by one in the last place between machines. A number passes when it is
/// within `tolerance` of the reference, or within one unit of its last printed digit (a box printed to 0.1 px).
/// An emotion label may differ only where the two emotions' probabilities on that reading are within
/// `2 × tolerance` of each other (a near tie that a kernel's rounding can decide either way); in `timeline.csv`,
/// the `leading` flags of such a tie may trade places.
public enum OutputComparison {
    /// The tolerance for printed numbers, chosen above the 1e-4 moves seen between OpenBLAS kernels (Haswell,
    /// SkylakeX and Zen against Cooperlake) and well below any change a reader would notice.
    public static let tolerance = 0.001

    static let emotions: Set<String> = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]

    /// The differences between `got` and `want`, one message each (empty when they agree); `name` picks the rules
    /// (a `.csv` is read by its header).
    public static func differences(got: String, want: String, name: String) -> [String] {
        let gotLines = got.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let wantLines = want.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard gotLines.count == wantLines.count else {
            return ["\(name): \(gotLines.count) lines, the reference has \(wantLines.count)"]
        }
        if name.hasSuffix(".csv") { return csvDifferences(gotLines, wantLines, name: name) }
        var problems: [String] = []
        for (index, (g, w)) in zip(gotLines, wantLines).enumerated() where g != w {
            if let why = lineDifference(got: g, want: w, labelProbability: jsonProbability) {
                problems.append("\(name) line \(index + 1): \(why)")
            }
        }
        return problems
    }

    // MARK: - Numbers

    /// Whether two printed numbers agree within the tolerance or one unit of the last printed digit.
    static func numbersAgree(_ got: String, _ want: String) -> Bool {
        guard let g = Double(got), let w = Double(want) else { return got == want }
        let decimals = max(decimalPlaces(got), decimalPlaces(want))
        let unit = pow(10, -Double(decimals))
        return abs(g - w) <= max(tolerance, unit) * (1 + 1e-9)
    }

    private static func decimalPlaces(_ text: String) -> Int {
        guard let dot = text.firstIndex(of: ".") else { return 0 }
        return text.distance(from: text.index(after: dot), to: text.endIndex)
    }

    // MARK: - Lines of text (JSON, JSON Lines, subtitles)

    private enum Token: Equatable {
        case text(String)
        case number(String)
    }

    private static let numberPattern = try! NSRegularExpression(pattern: #"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?"#)

    private static func tokens(_ line: String) -> [Token] {
        var result: [Token] = []
        let text = line as NSString
        var position = 0
        for match in numberPattern.matches(in: line, range: NSRange(location: 0, length: text.length)) {
            if match.range.location > position {
                result.append(
                    .text(text.substring(with: NSRange(location: position, length: match.range.location - position))))
            }
            result.append(.number(text.substring(with: match.range)))
            position = match.range.location + match.range.length
        }
        if position < text.length { result.append(.text(text.substring(from: position))) }
        return result
    }

    /// Why two lines differ beyond the rules, or nil. `labelProbability` finds, in the tokens before a label,
    /// the probability the reading gave an emotion.
    private static func lineDifference(
        got: String, want: String,
        labelProbability: ([Token], Int, String) -> Double?
    ) -> String? {
        let g = tokens(got), w = tokens(want)
        guard g.count == w.count else { return "differs in structure: \(got) / reference: \(want)" }
        for index in g.indices {
            switch (g[index], w[index]) {
            case (.number(let a), .number(let b)):
                if !numbersAgree(a, b) { return "\(a) against \(b) in the reference" }
            case (.text(let a), .text(let b)) where a != b:
                guard let (gotLabel, wantLabel) = differingLabels(a, b),
                    let p = labelProbability(g, index, gotLabel), let q = labelProbability(g, index, wantLabel),
                    abs(p - q) <= 2 * tolerance
                else {
                    return "'\(a)' against '\(b)' in the reference"
                }
            case (.text, .text):
                continue
            default:
                return "differs in structure: \(got) / reference: \(want)"
            }
        }
        return nil
    }

    /// The two emotion names where two texts differ only by one name each.
    private static func differingLabels(_ a: String, _ b: String) -> (String, String)? {
        let prefix = a.commonPrefix(with: b).count
        let aRest = String(a.dropFirst(prefix)), bRest = String(b.dropFirst(prefix))
        let suffix = String(aRest.reversed()).commonPrefix(with: String(bRest.reversed())).count
        let aName = String(aRest.dropLast(suffix)), bName = String(bRest.dropLast(suffix))
        // The common prefix may have eaten the start of both names ("sad"/"surprise" share an "s").
        let lead = String(a.prefix(prefix).reversed().prefix { $0.isLetter }.reversed())
        let gotName = lead + aName, wantName = lead + bName
        return emotions.contains(gotName) && emotions.contains(wantName) ? (gotName, wantName) : nil
    }

    /// In JSON, the number after the nearest `"EMOTION":` before the label: that reading's probability.
    private static func jsonProbability(_ tokens: [Token], _ before: Int, _ emotion: String) -> Double? {
        for index in stride(from: before - 1, through: 1, by: -1) {
            if case .number(let value) = tokens[index], case .text(let text) = tokens[index - 1],
                text.hasSuffix("\"\(emotion)\":")
            {
                return Double(value)
            }
        }
        return nil
    }

    // MARK: - CSV

    private static func csvDifferences(_ got: [String], _ want: [String], name: String) -> [String] {
        guard let header = want.first, got.first == header else { return ["\(name): the header differs"] }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var problems: [String] = []
        var leadingTies: [String: Int] = [:]
        for index in 1..<got.count where got[index] != want[index] {
            let g = got[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let w = want[index].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard g.count == columns.count, w.count == columns.count else {
                problems.append(
                    "\(name) line \(index + 1): differs in structure: \(got[index]) / reference: \(want[index])")
                continue
            }
            for (column, (a, b)) in zip(columns, zip(g, w)) where a != b {
                if Double(a) != nil, Double(b) != nil, column != "leading", numbersAgree(a, b) { continue }
                if emotions.contains(a), emotions.contains(b), let p = csvProbability(g, columns, a),
                    let q = csvProbability(g, columns, b),
                    abs(p - q) <= 2 * tolerance
                {
                    continue
                }
                if column == "leading" {
                    // Counted per reading (the columns before `emotion`); checked once all rows are read.
                    let reading = g.prefix(columns.firstIndex(of: "emotion") ?? 0).joined(separator: ",")
                    leadingTies[reading, default: 0] += 1
                    continue
                }
                problems.append("\(name) line \(index + 1), \(column): '\(a)' against '\(b)' in the reference")
            }
        }
        problems += leadingTieProblems(leadingTies, got: got, columns: columns, name: name)
        return problems
    }

    /// Probability columns named by emotion (frames.csv, seconds.csv).
    private static func csvProbability(_ row: [String], _ columns: [String], _ emotion: String) -> Double? {
        columns.firstIndex(of: emotion).flatMap { Double(row[$0]) }
    }

    /// `timeline.csv`: a reading whose `leading` flags differ passes when exactly two flags traded places and the
    /// two emotions' probabilities are within `2 × tolerance`.
    private static func leadingTieProblems(
        _ ties: [String: Int], got: [String], columns: [String], name: String
    ) -> [String] {
        guard !ties.isEmpty, let emotionColumn = columns.firstIndex(of: "emotion"),
            let probabilityColumn = columns.firstIndex(of: "probability"),
            let leadingColumn = columns.firstIndex(of: "leading")
        else { return [] }
        var problems: [String] = []
        for (reading, count) in ties.sorted(by: { $0.key < $1.key }) {
            let rows = got.dropFirst().map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            .filter { $0.count == columns.count && $0.prefix(emotionColumn).joined(separator: ",") == reading }
            let top = rows.compactMap { Double($0[probabilityColumn]) }.sorted(by: >)
            let leaders = rows.filter { $0[leadingColumn] == "1" }.count
            if count != 2 || leaders != 1 || top.count < 2 || top[0] - top[1] > 2 * tolerance {
                problems.append("\(name), reading \(reading): the leading emotion changed without a near tie")
            }
        }
        return problems
    }
}
