import Foundation

/// A grouping of a video's tracks into persons, as a user gives it to `moodline regroup`: by `persons.csv` edited
/// (the `track` and `person` columns; any numbers, tracks with one number being one person), or by clustering the
/// embeddings `--write-embeddings` kept at another distance.
public enum PersonGrouping: Sendable, Equatable {
    /// The `persons.csv` at this path.
    case table(path: String)
    /// Cluster the tracks' embeddings in the folder's `face_embeddings.jsonl` at this distance.
    case distance(Double)

    /// Reads a `persons.csv`: each track's person number.
    ///
    /// - Throws: `RegroupError` naming the file and line for anything but a table of whole numbers with both columns.
    static func readTable(_ path: String) throws -> [Int: Int] {
        // Spreadsheets write CRLF, quote cells and may put a byte-order mark first.
        let text = try tableText(path)
        let lines = text.split(omittingEmptySubsequences: true) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        let cells = { (line: Substring) in
            line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"\r"))
            }
        }
        guard let header = lines.first.map(cells), let trackColumn = header.firstIndex(of: "track"),
            let personColumn = header.firstIndex(of: "person")
        else {
            throw RegroupError(path: path, message: "needs a header with the columns track and person")
        }
        var personOfTrack: [Int: Int] = [:]
        for (number, line) in lines.enumerated().dropFirst() {
            let row = cells(line)
            guard row.count > max(trackColumn, personColumn), let track = Int(row[trackColumn]),
                let person = Int(row[personColumn]), person >= 1
            else {
                throw RegroupError(
                    path: path,
                    message:
                        "line \(number + 1): needs a track ID and a person number of 1 or more (\(line.prefix(80)))")
            }
            guard personOfTrack.updateValue(person, forKey: track) == nil else {
                throw RegroupError(path: path, message: "line \(number + 1): track \(track) is listed twice")
            }
        }
        return personOfTrack
    }

    /// A table's text, without a byte-order mark. (Read through a file handle: Foundation's `contents(atPath:)`
    /// leaks its buffer on an empty file, as the fuzz target found.)
    static func tableText(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path), let data = try? handle.readToEnd() ?? Data() else {
            throw RegroupError(path: path, message: "cannot be read")
        }
        try? handle.close()
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text
    }

    /// Checks a table against the tracks it groups: every track given once, none unknown, and no two tracks of one
    /// person on screen at the same time (one face cannot be in two places).
    static func check(_ personOfTrack: [Int: Int], tracks: [TrackSummary], path: String) throws {
        let known = Set(tracks.map(\.id))
        if let unknown = personOfTrack.keys.filter({ !known.contains($0) }).min() {
            throw RegroupError(path: path, message: "track \(unknown) is not among the run's tracks")
        }
        if let missing = tracks.map(\.id).filter({ personOfTrack[$0] == nil }).min() {
            throw RegroupError(path: path, message: "track \(missing) has no person")
        }
        let byPerson = Dictionary(grouping: tracks) { personOfTrack[$0.id]! }
        for (person, members) in byPerson.sorted(by: { $0.key < $1.key }) {
            // In order of start: a track overlaps an earlier one if it starts before the latest end so far.
            var latest: TrackSummary?
            for b in members.sorted(by: { ($0.firstSeconds, $0.id) < ($1.firstSeconds, $1.id) }) {
                if let a = latest, b.firstSeconds <= a.lastSeconds {
                    throw RegroupError(
                        path: path,
                        message:
                            "person \(person): tracks \(a.id) and \(b.id) are on screen at the same time (at \(FixedPoint.format(b.firstSeconds, decimals: 3)) s), so cannot be one person"
                    )
                }
                if b.lastSeconds > latest?.lastSeconds ?? -.infinity { latest = b }
            }
        }
    }
}

/// Why a folder could not be regrouped, naming the file at fault.
public struct RegroupError: Error, CustomStringConvertible {
    public let path: String
    public let message: String

    public var description: String { "\(path): \(message)" }
}
