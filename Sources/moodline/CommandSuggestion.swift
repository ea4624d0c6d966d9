/// The answer to a mistyped command (`moodline analize`): which command was probably meant. Without it the
/// parser takes the word as an input and complains about the next option ("Unknown option '-o'").
enum CommandSuggestion {
    /// A message for `word` when it is not one of `commands` (names and aliases) and looks like a command, or nil.
    static func message(for word: String, commands: [String]) -> String? {
        guard !word.hasPrefix("-"), !commands.contains(word), !word.contains("/"), !word.contains(".") else {
            return nil
        }
        let nearest = commands.min { distance(word, $0) < distance(word, $1) }
        guard let nearest, distance(word, nearest) <= max(2, nearest.count / 3) else {
            return "'\(word)' is not a moodline command (commands: \(commands.joined(separator: ", ")))."
        }
        return "'\(word)' is not a moodline command. Did you mean 'moodline \(nearest)'?"
    }

    /// Levenshtein distance: insertions, deletions and substitutions.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        // One row of the edit-distance table at a time: row[j] is the distance from a[..<i] to b[..<j].
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let above = row[j]
                row[j] = min(above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}
